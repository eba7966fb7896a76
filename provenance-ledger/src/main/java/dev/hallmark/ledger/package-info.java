/** Signed provenance records in an RFC 6962 / C2SP tlog-tiles transparency log. */
package dev.hallmark.ledger;
