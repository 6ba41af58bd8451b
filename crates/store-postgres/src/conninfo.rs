//! Small surgery on `postgres://` URLs: taking the password out, and pointing
//! the URL at another database on the same server.

/// The parts of `scheme://[userinfo@]host[:port][/database][?params]`.
struct Parts<'a> {
    scheme: &'a str,
    userinfo: Option<&'a str>,
    host: &'a str,
    database: &'a str,
    params: &'a str,
}

fn parts(url: &str) -> Parts<'_> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (userinfo, host) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (path, params) = tail.split_at(tail.find('?').unwrap_or(tail.len()));
    Parts { scheme, userinfo, host, database: path.trim_start_matches('/'), params }
}

fn join(p: &Parts<'_>, userinfo: Option<&str>, database: &str) -> String {
    let mut s = format!("{}://", p.scheme);
    if let Some(u) = userinfo {
        s.push_str(u);
        s.push('@');
    }
    s.push_str(p.host);
    if !database.is_empty() {
        s.push('/');
        s.push_str(database);
    }
    s.push_str(p.params);
    s
}

/// The URL without its password, and the password (percent-decoded), if it had one.
///
/// Client programs get the password in their environment (`PGPASSWORD`), not
/// on their command line, which every user of the machine can read.
pub(crate) fn split_password(url: &str) -> (String, Option<String>) {
    let p = parts(url);
    match p.userinfo.and_then(|u| u.split_once(':')) {
        Some((user, password)) => (join(&p, Some(user), p.database), Some(percent_decode(password))),
        None => (url.to_string(), None),
    }
}

/// The same server and credentials, another database.
pub(crate) fn with_database(url: &str, database: &str) -> String {
    let p = parts(url);
    join(&p, p.userinfo, database)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_taken_out_of_the_url_and_decoded() {
        let (url, pw) = split_password("postgres://app:s%40cret@db.local:5432/samvirke?sslmode=require");
        assert_eq!(url, "postgres://app@db.local:5432/samvirke?sslmode=require");
        assert_eq!(pw.as_deref(), Some("s@cret"));
        let (url, pw) = split_password("postgres://postgres@127.0.0.1/postgres");
        assert_eq!(url, "postgres://postgres@127.0.0.1/postgres");
        assert_eq!(pw, None);
    }

    #[test]
    fn another_database_on_the_same_server() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "samvirke_test_1"),
            "postgres://postgres@127.0.0.1:5432/samvirke_test_1"
        );
        assert_eq!(with_database("postgres://u:p@h?x=1", "d"), "postgres://u:p@h/d?x=1");
    }
}
