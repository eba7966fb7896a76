package dev.hallmark.core.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 private keys as PKCS#8 PEM (RFC 5208/5958, RFC 8410), optionally encrypted with PBES2
 * (PBKDF2-HMAC-SHA256, AES-256-CBC; RFC 8018), readable by OpenSSL.
 */
public final class Pkcs8Pem {
  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int PBKDF2_ITERATIONS = 600_000;

  private Pkcs8Pem() {}

  /** Thrown when a PEM file cannot be decrypted with the given passphrase. */
  public static final class WrongPassphraseException extends Exception {
    private static final long serialVersionUID = 1L;

    WrongPassphraseException(Throwable cause) {
      super("wrong passphrase", cause);
    }
  }

  /** Thrown when a PEM file is encrypted and no passphrase was given. */
  public static final class EncryptedException extends Exception {
    private static final long serialVersionUID = 1L;

    EncryptedException() {
      super("the key is encrypted");
    }
  }

  private static final class Bc {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  public static String encode(Ed25519PrivateKeyParameters key, char[] passphrase, SecureRandom random)
      throws IOException {
    // Version 1 (RFC 5208) without the optional public key: what OpenSSL writes and reads.
    PrivateKeyInfo info = new PrivateKeyInfo(
        new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DEROctetString(key.getEncoded()));
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      if (passphrase == null) {
        w.writeObject(new PemObject("PRIVATE KEY", info.getEncoded()));
      } else {
        OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(Bc.PROVIDER)
            .setRandom(random)
            .setPassword(passphrase)
            .setIterationCount(PBKDF2_ITERATIONS)
            .setPRF(PKCS8Generator.PRF_HMACSHA256)
            .build();
        w.writeObject(new PKCS8Generator(info, enc));
      }
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("PBES2/AES-256-CBC unavailable", e);
    }
    return sw.toString();
  }

  /** Whether the PEM text holds an encrypted key. */
  public static boolean isEncrypted(String pem) {
    return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
  }

  /**
   * @throws IOException if the text is not a PKCS#8 Ed25519 key
   */
  public static Ed25519PrivateKeyParameters decode(String pem, char[] passphrase)
      throws IOException, WrongPassphraseException, EncryptedException {
    Object obj;
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      obj = p.readObject();
    } catch (RuntimeException e) {
      throw new IOException("not a valid PEM file", e);
    }
    PrivateKeyInfo info;
    if (obj instanceof PrivateKeyInfo) {
      info = (PrivateKeyInfo) obj;
    } else if (obj instanceof PKCS8EncryptedPrivateKeyInfo) {
      if (passphrase == null) {
        throw new EncryptedException();
      }
      try {
        info = ((PKCS8EncryptedPrivateKeyInfo) obj).decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(passphrase));
      } catch (PKCSException | OperatorCreationException | RuntimeException e) {
        throw new WrongPassphraseException(e);
      }
    } else {
      throw new IOException("no PKCS#8 private key in PEM text");
    }
    AsymmetricKeyParameter k;
    try {
      k = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new IOException("PKCS#8 structure is not a supported private key", e);
    }
    if (!(k instanceof Ed25519PrivateKeyParameters)) {
      throw new IOException("the private key is not Ed25519");
    }
    return (Ed25519PrivateKeyParameters) k;
  }
}
