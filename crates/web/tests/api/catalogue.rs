use crate::support::TestApp;

#[tokio::test]
async fn the_catalogue_lists_the_five_interventions_with_their_bl_and_sel_sections() {
    let app = TestApp::spawn().await;
    let list = app.get("/api/v1/catalogue").await;
    assert_eq!(list.status, 200);
    let entries: Vec<(String, String, String)> = list
        .items()
        .iter()
        .map(|e| {
            let short = |key: &str| {
                e[key].as_array().unwrap().iter().map(|r| r["short"].as_str().unwrap()).collect::<Vec<_>>().join(" + ")
            };
            (e["intervention"].as_str().unwrap().to_string(), short("basis_in_force"), short("former_basis"))
        })
        .collect();
    let expected = [
        ("supported_visitation", "BL § 104, stk. 3", "SEL § 71, stk. 2"),
        ("supervised_visitation", "BL § 105, stk. 1–2", "SEL § 71, stk. 3–4"),
        ("home_support", "BL § 32, stk. 1, nr. 2", "SEL § 52, stk. 3, nr. 3"),
        ("contact_person", "BL § 32, stk. 1, nr. 3", "SEL § 52, stk. 3, nr. 7"),
        ("parent_programme", "BL § 76 + BL §§ 77–78", "SEL § 54"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(entries, expected);
    let first = &list.items()[0];
    assert_eq!(first["name"]["da"], "Støttet samvær");
    assert_eq!(first["basis_in_force"][0]["citation_da"], "Barnets lov § 104, stk. 3");
    assert_eq!(first["former_basis"][0]["act"], "serviceloven");

    let one = app.get("/api/v1/catalogue/supervised_visitation").await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["consent_rule"], "committee_decision");
    let none = app.get("/api/v1/catalogue/therapy").await;
    assert_eq!((none.status, none.code()), (404, "not_found"));
    app.finish().await;
}
