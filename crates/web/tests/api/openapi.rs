//! The OpenAPI document is generated from the handlers; this snapshot pins it,
//! so that every change of the public API shows up in review.

#[test]
fn openapi_document_is_pinned() {
    let doc = samvirke_web::openapi();
    let json = serde_json::to_value(&doc).unwrap();
    assert_eq!(json["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", json);
}

#[test]
fn every_reference_in_the_document_resolves_and_operation_ids_are_unique() {
    let json = serde_json::to_value(samvirke_web::openapi()).unwrap();
    let text = json.to_string();
    for reference in text.split("\"$ref\":\"").skip(1).map(|s| s.split('"').next().unwrap()) {
        let pointer = reference.trim_start_matches('#');
        assert!(json.pointer(pointer).is_some(), "dangling reference {reference}");
    }
    let mut ids = std::collections::BTreeSet::new();
    for item in json["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "operation id {id} twice");
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(
                    response.get("$ref").is_some() || response["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{id} {status} has no description"
                );
            }
        }
    }
}
