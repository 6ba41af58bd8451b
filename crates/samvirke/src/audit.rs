//! `samvirke audit verify`: checks the audit log's hash chain from its start.

use crate::cli::DbArgs;
use crate::database;
use anyhow::{Context, Result, anyhow};
use clap::Args;
use samvirke_domain::audit::{ChainHash, ChainVerifier};
use samvirke_store::Page;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A head printed by an earlier run, `SEQ:HASH`: the log must still reach
    /// it, with the same entry there. Without it, entries removed from the end
    /// leave a shorter log that verifies.
    #[arg(long, value_name = "SEQ:HASH", value_parser = parse_head)]
    pub expect_head: Option<(u64, ChainHash)>,
}

/// Parses `SEQ:HASH` (the form `audit verify` prints the head in).
fn parse_head(s: &str) -> Result<(u64, ChainHash), String> {
    let (seq, hash) = s.split_once(':').ok_or("expected SEQ:HASH, e.g. 1234:3f5a…")?;
    let seq = seq.trim().parse::<u64>().map_err(|_| "SEQ is not a number")?;
    let hash = ChainHash::from_hex(hash).ok_or("HASH is not 64 hexadecimal digits")?;
    Ok((seq, hash))
}

/// Streams the log through the verifier, one page at a time in one snapshot,
/// and prints the number of entries and the head; fails naming the first
/// broken entry.
pub async fn verify(db: &DbArgs, args: VerifyArgs) -> Result<()> {
    let store = database::open(db).await?;
    let mut tx = store.begin_read().await?;
    let mut verifier = ChainVerifier::new();
    if let Some((seq, hash)) = args.expect_head {
        verifier = verifier.expecting_head(seq, hash);
    }
    let mut after = 0;
    loop {
        let page = tx
            .audit_entries(after, Page::MAX)
            .await
            .with_context(|| format!("the audit log cannot be read after entry {after}"))?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            verifier.push(entry).map_err(|b| anyhow!("the audit log is broken: {b}"))?;
        }
    }
    let (count, head) = verifier.finish().map_err(|b| anyhow!("the audit log is broken: {b}"))?;
    match head {
        Some((seq, hash)) => {
            let entries = if count == 1 { "entry" } else { "entries" };
            println!("The audit log verifies: {count} {entries}, head {seq}:{hash}");
        }
        None => println!("The audit log verifies: it is empty."),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_parses_as_printed() {
        let hash = ChainHash([0xab; 32]);
        assert_eq!(parse_head(&format!("12:{hash}")), Ok((12, hash)));
        assert!(parse_head("12").is_err());
        assert!(parse_head("x:ab").is_err());
        assert!(parse_head("12:abc").is_err());
    }
}
