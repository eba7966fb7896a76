package dev.hallmark.c2pa;

/**
 * The overall verdict, named as c2pa-rs names it: {@code INVALID} when any failure code other than
 * {@code signingCredential.untrusted} is present, {@code TRUSTED} when valid and the signer chains to a
 * given trust anchor, {@code VALID} otherwise.
 */
public enum ValidationState {
  INVALID,
  VALID,
  TRUSTED
}
