package dev.hallmark.c2pa.internal;

import dev.hallmark.c2pa.C2paException;
import dev.hallmark.c2pa.C2paSigner;
import dev.hallmark.c2pa.ManifestSpec;
import dev.hallmark.c2pa.MediaFormat;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds, signs and embeds a one-manifest C2PA 2.x store (claim v2). */
public final class Writer {
  private static final int MAX_ROUNDS = 8;

  private Writer() {}

  /** The asset with its manifest store and the store itself. */
  public record Signed(byte[] asset, byte[] store, String manifestLabel) {}

  public static Signed sign(byte[] asset, MediaFormat format, ManifestSpec spec, C2paSigner signer)
      throws C2paException {
    byte[] stripped = Container.strip(asset, format);
    int offset = Container.insertionOffset(stripped, format);
    byte[] assetHash = sha256(stripped);
    // A name-based manifest id: the same asset, spec and signer give the same label, no randomness needed.
    UUID id = uuidFrom(sha256(concat(assetHash, spec.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        signer.chainDer().get(0))));
    String label = "urn:c2pa:" + id;
    long exclusion = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      byte[] store = store(spec, signer, label, id, offset, exclusion, assetHash);
      byte[] carrier = Container.wrap(store, format);
      if (carrier.length == exclusion) {
        return new Signed(Container.insert(stripped, offset, carrier), store, label);
      }
      exclusion = carrier.length;
    }
    throw new IllegalStateException("C2PA writer: the manifest size did not settle");
  }

  private static byte[] store(ManifestSpec spec, C2paSigner signer, String label, UUID id, long start,
      long length, byte[] assetHash) throws C2paException {
    List<String> labels = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();

    Map<String, Object> agent = new LinkedHashMap<>();
    agent.put("name", spec.softwareAgentName());
    if (spec.softwareAgentVersion() != null) {
      agent.put("version", spec.softwareAgentVersion());
    }
    Map<String, Object> created = new LinkedHashMap<>();
    created.put("action", "c2pa.created");
    created.put("digitalSourceType", spec.digitalSourceType());
    created.put("softwareAgent", agent);
    Map<String, Object> actions = new LinkedHashMap<>();
    actions.put("actions", List.of(created));
    add(labels, payloads, "c2pa.actions.v2", Cbor.write(actions));

    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("start", start);
    ex.put("length", length);
    Map<String, Object> dataHash = new LinkedHashMap<>();
    dataHash.put("exclusions", List.of(ex));
    dataHash.put("name", "jumbf manifest");
    dataHash.put("alg", "sha256");
    dataHash.put("hash", assetHash);
    dataHash.put("pad", new byte[0]);
    add(labels, payloads, "c2pa.hash.data", Cbor.write(dataHash));

    if (spec.softBindingAlg() != null) {
      Map<String, Object> block = new LinkedHashMap<>();
      block.put("scope", new LinkedHashMap<String, Object>());
      block.put("value", spec.softBindingValue());
      Map<String, Object> sb = new LinkedHashMap<>();
      sb.put("alg", spec.softBindingAlg());
      sb.put("blocks", List.of(block));
      sb.put("pad", new byte[0]);
      add(labels, payloads, "c2pa.soft-binding", Cbor.write(sb));
    }

    List<Object> refs = new ArrayList<>();
    List<byte[]> assertionBoxes = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      byte[] cborBox = Jumbf.box("cbor", payloads.get(i));
      byte[] payload = Jumbf.superboxPayload(Jumbf.UUID_CBOR, labels.get(i), List.of(cborBox));
      assertionBoxes.add(Jumbf.box("jumb", payload));
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("url", "self#jumbf=c2pa.assertions/" + labels.get(i));
      ref.put("hash", sha256(payload));
      refs.add(ref);
    }

    Map<String, Object> gen = new LinkedHashMap<>();
    gen.put("name", spec.generatorName());
    if (spec.generatorVersion() != null) {
      gen.put("version", spec.generatorVersion());
    }
    Map<String, Object> claim = new LinkedHashMap<>();
    claim.put("instanceID", "xmp:iid:" + id);
    claim.put("claim_generator_info", gen);
    claim.put("signature", "self#jumbf=c2pa.signature");
    claim.put("created_assertions", refs);
    if (spec.title() != null) {
      claim.put("dc:title", spec.title());
    }
    claim.put("alg", "sha256");
    byte[] claimBytes = Cbor.write(claim);
    byte[] cose = Cose.sign(signer, claimBytes, 0);

    byte[] assertionStore = Jumbf.superbox(Jumbf.UUID_ASSERTIONS, "c2pa.assertions", assertionBoxes);
    byte[] claimBox = Jumbf.superbox(Jumbf.UUID_CLAIM, "c2pa.claim.v2", List.of(Jumbf.box("cbor", claimBytes)));
    byte[] sigBox = Jumbf.superbox(Jumbf.UUID_SIGNATURE, "c2pa.signature", List.of(Jumbf.box("cbor", cose)));
    byte[] manifest = Jumbf.superbox(Jumbf.UUID_MANIFEST, label, List.of(assertionStore, claimBox, sigBox));
    return Jumbf.superbox(Jumbf.UUID_STORE, "c2pa", List.of(manifest));
  }

  private static void add(List<String> labels, List<byte[]> payloads, String label, byte[] cbor) {
    labels.add(label);
    payloads.add(cbor);
  }

  static byte[] sha256(byte[] d) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  private static UUID uuidFrom(byte[] h) {
    ByteBuffer b = ByteBuffer.wrap(h);
    long hi = (b.getLong() & ~0xF000L) | 0x4000L;
    long lo = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }
}
