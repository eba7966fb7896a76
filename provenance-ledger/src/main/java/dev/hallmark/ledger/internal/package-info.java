/** Implementation of the ledger: storage, write-ahead log, tiles, index, verification. Not an API. */
package dev.hallmark.ledger.internal;
