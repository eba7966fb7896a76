package dev.hallmark.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.watermark.text.LanguageModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LanguageModel} over a decoder-only ONNX export (GPT-2, Llama, Qwen style, as written by
 * {@code optimum-cli export onnx}) run by ONNX Runtime on the CPU. Inputs it understands:
 * {@code input_ids}, {@code attention_mask}, {@code position_ids}, {@code past_key_values.N.key/value}
 * ({@code [batch, heads, past, headDim]}, float32) and {@code use_cache_branch}; outputs {@code logits}
 * ({@code [batch, seq, vocab]}) and {@code present.N.key/value}. With past key values a
 * {@link #newSession() session} feeds only the new token each step and keeps the cache; without
 * them every step recomputes the whole context. Logits of ids the tokenizer cannot produce (models
 * pad their vocabulary, e.g. Qwen) are set to {@code -Infinity}; logits are divided by the
 * temperature.
 *
 * <p>Thread-safe: ONNX Runtime sessions accept concurrent runs; each {@link LanguageModel.Session}
 * is for one thread. {@link #close()} frees the native model (and the tokenizer it was opened with).
 */
public final class OnnxLanguageModel implements LanguageModel, AutoCloseable {
  /** File names in a model folder. */
  public static final String MODEL_FILE = "model.onnx";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final HfTokenizer tokenizer;
  private final double temperature;
  private final int vocab;
  private final String idsName = "input_ids";
  private final OnnxJavaType idsType;
  private final String maskName;
  private final OnnxJavaType maskType;
  private final String positionsName;
  private final OnnxJavaType positionsType;
  private final String cacheBranchName;
  private final String[] pastNames;
  private final String[] presentNames;
  private final long[] pastShape;
  private final String logitsName;

  private OnnxLanguageModel(OrtEnvironment env, OrtSession session, HfTokenizer tokenizer, double temperature,
      Path file) throws OrtException, HallmarkException {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.temperature = temperature;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    if (!inputs.containsKey(idsName)) {
      throw new HallmarkException(file + ": the model has no input_ids input (inputs: " + inputs.keySet()
          + "); export a decoder-only text-generation model");
    }
    idsType = intType(inputs.get(idsName), file);
    maskName = inputs.containsKey("attention_mask") ? "attention_mask" : null;
    maskType = maskName == null ? null : intType(inputs.get(maskName), file);
    positionsName = inputs.containsKey("position_ids") ? "position_ids" : null;
    positionsType = positionsName == null ? null : intType(inputs.get(positionsName), file);
    cacheBranchName = inputs.containsKey("use_cache_branch") ? "use_cache_branch" : null;
    List<String> past = new ArrayList<>();
    for (int l = 0; inputs.containsKey("past_key_values." + l + ".key"); l++) {
      past.add("past_key_values." + l + ".key");
      past.add("past_key_values." + l + ".value");
    }
    for (String in : inputs.keySet()) {
      if (!in.equals(idsName) && !in.equals(maskName) && !in.equals(positionsName) && !in.equals(cacheBranchName)
          && !past.contains(in)) {
        throw new HallmarkException(file + ": unsupported model input '" + in + "' (understood: input_ids,"
            + " attention_mask, position_ids, past_key_values.N.key/value, use_cache_branch)");
      }
    }
    pastNames = past.toArray(new String[0]);
    presentNames = new String[pastNames.length];
    for (int i = 0; i < pastNames.length; i++) {
      String p = pastNames[i].replace("past_key_values.", "present.");
      if (!outputs.containsKey(p)) {
        throw new HallmarkException(file + ": input " + pastNames[i] + " has no matching output " + p);
      }
      presentNames[i] = p;
    }
    if (pastNames.length > 0) {
      TensorInfo t = (TensorInfo) inputs.get(pastNames[0]).getInfo();
      long[] s = t.getShape();
      if (t.type != OnnxJavaType.FLOAT || s.length != 4 || s[1] <= 0 || s[3] <= 0) {
        throw new HallmarkException(file + ": past key values must be float32 [batch, heads, past, headDim] with"
            + " fixed heads and headDim, found " + t.type + " " + Arrays.toString(s)
            + " (export with float32 weights)");
      }
      pastShape = new long[] {1, s[1], 0, s[3]};
    } else {
      pastShape = null;
    }
    logitsName = outputs.containsKey("logits") ? "logits" : outputs.keySet().iterator().next();
    TensorInfo li = (TensorInfo) outputs.get(logitsName).getInfo();
    if (li.type != OnnxJavaType.FLOAT || li.getShape().length != 3) {
      throw new HallmarkException(file + ": output " + logitsName + " must be float32 [batch, sequence, vocab], found "
          + li.type + " " + Arrays.toString(li.getShape()));
    }
    long v = li.getShape()[2];
    if (v <= 0) {
      v = probeVocabulary();
    }
    if (v < tokenizer.vocabularySize() || v > (1 << 24)) {
      throw new HallmarkException(file + ": the model has " + v + " logits but its tokenizer "
          + tokenizer.vocabularySize() + " tokens; is tokenizer.json the model's own?");
    }
    vocab = (int) v;
  }

  /**
   * Opens {@code dir/model.onnx} with {@code dir/tokenizer.json} at temperature 1.
   *
   * @throws HallmarkException naming the file when either is missing or not a supported model
   */
  public static OnnxLanguageModel open(Path dir) throws HallmarkException {
    return open(dir, 1.0);
  }

  /** As {@link #open(Path)}, sampling at {@code temperature} (0.05..5). */
  public static OnnxLanguageModel open(Path dir, double temperature) throws HallmarkException {
    if (!Files.isDirectory(dir)) {
      throw new HallmarkException(dir + ": not a folder; give a folder with " + MODEL_FILE + " and " + TOKENIZER_FILE);
    }
    HfTokenizer tok = HfTokenizer.load(dir.resolve(TOKENIZER_FILE));
    try {
      return open(dir.resolve(MODEL_FILE), tok, temperature);
    } catch (HallmarkException | RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  /** Opens the ONNX file {@code model} with {@code tokenizer} (which the model then owns and closes). */
  public static OnnxLanguageModel open(Path model, HfTokenizer tokenizer, double temperature) throws HallmarkException {
    if (!(temperature >= 0.05 && temperature <= 5)) {
      throw new IllegalArgumentException("temperature must be in [0.05, 5], got " + temperature);
    }
    if (!Files.isRegularFile(model)) {
      throw new HallmarkException(model + ": no such model file (export one with optimum-cli export onnx)");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession s;
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      s = env.createSession(model.toString(), o);
    } catch (OrtException e) {
      throw new HallmarkException(model + ": ONNX Runtime cannot load it (" + e.getMessage() + ")");
    }
    try {
      return new OnnxLanguageModel(env, s, tokenizer, temperature, model);
    } catch (OrtException e) {
      closeQuietly(s);
      throw new HallmarkException(model + ": " + e.getMessage());
    } catch (HallmarkException | RuntimeException e) {
      closeQuietly(s);
      throw e;
    }
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException ignored) {
      // nothing to do
    }
  }

  private static OnnxJavaType intType(NodeInfo info, Path file) throws HallmarkException {
    OnnxJavaType t = ((TensorInfo) info.getInfo()).type;
    if (t != OnnxJavaType.INT64 && t != OnnxJavaType.INT32) {
      throw new HallmarkException(file + ": input " + info.getName() + " must be int64 or int32, found " + t);
    }
    return t;
  }

  private long probeVocabulary() throws OrtException {
    try (Step s = new Step(new int[] {0}, 0, 1, null); OrtSession.Result r = s.run()) {
      return ((TensorInfo) r.get(logitsName).get().getInfo()).getShape()[2];
    }
  }

  /** The tokenizer this model was opened with. */
  public HfTokenizer hfTokenizer() {
    return tokenizer;
  }

  public double temperature() {
    return temperature;
  }

  /** Whether the model takes past key values (so a session reuses its cache). */
  public boolean hasKvCache() {
    return pastNames.length > 0;
  }

  @Override
  public String tokenizer() {
    return tokenizer.name();
  }

  @Override
  public int vocabularySize() {
    return vocab;
  }

  @Override
  public void logits(int[] tokens, int length, float[] out) {
    try (Session s = newSession()) {
      s.logits(tokens, length, out);
    }
  }

  @Override
  public Session newSession() {
    return new CachedSession();
  }

  /** The inputs of one run: tokens[from..to) after a cache of {@code from} positions. */
  private final class Step implements AutoCloseable {
    final Map<String, OnnxTensor> owned = new HashMap<>();
    final Map<String, OnnxTensor> feed = new HashMap<>();

    Step(int[] tokens, int from, int to, OrtSession.Result past) throws OrtException {
      try {
        int n = to - from;
        own(idsName, intTensor(idsType, tokens, from, to, false));
        if (maskName != null) {
          own(maskName, intTensor(maskType, null, 0, pastNames.length > 0 ? to : n, true));
        }
        if (positionsName != null) {
          int[] pos = new int[n];
          for (int i = 0; i < n; i++) {
            pos[i] = from + i;
          }
          own(positionsName, intTensor(positionsType, pos, 0, n, false));
        }
        if (cacheBranchName != null) {
          own(cacheBranchName, OnnxTensor.createTensor(env, new boolean[] {from > 0}));
        }
        for (int i = 0; i < pastNames.length; i++) {
          if (past == null) {
            own(pastNames[i], OnnxTensor.createTensor(env, FloatBuffer.allocate(0), pastShape));
          } else {
            feed.put(pastNames[i], (OnnxTensor) past.get(presentNames[i]).get());
          }
        }
      } catch (OrtException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private void own(String name, OnnxTensor t) {
      owned.put(name, t);
      feed.put(name, t);
    }

    OrtSession.Result run() throws OrtException {
      return session.run(feed);
    }

    @Override
    public void close() {
      for (OnnxTensor t : owned.values()) {
        t.close();
      }
    }
  }

  private OnnxTensor intTensor(OnnxJavaType type, int[] values, int from, int to, boolean ones) throws OrtException {
    int n = to - from;
    long[] shape = {1, n};
    if (type == OnnxJavaType.INT64) {
      LongBuffer b = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asLongBuffer();
      for (int i = 0; i < n; i++) {
        b.put(ones ? 1 : values[from + i]);
      }
      b.rewind();
      return OnnxTensor.createTensor(env, b, shape);
    }
    IntBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
    for (int i = 0; i < n; i++) {
      b.put(ones ? 1 : values[from + i]);
    }
    b.rewind();
    return OnnxTensor.createTensor(env, b, shape);
  }

  /** One sequence: keeps the last run's present key/values and the tokens they cover. */
  private final class CachedSession implements Session {
    private OrtSession.Result cache;
    private int[] seen = new int[0];
    private int seenLength;
    private boolean closed;

    @Override
    public void logits(int[] tokens, int length, float[] out) {
      if (closed) {
        throw new IllegalStateException("session closed");
      }
      if (out.length != vocab) {
        throw new IllegalArgumentException("out has " + out.length + " entries, vocabulary is " + vocab);
      }
      if (length < 1 || length > tokens.length) {
        throw new IllegalArgumentException(length < 1
            ? "a transformer needs at least one context token (the prompt is empty)"
            : "length " + length + " outside tokens[0.." + tokens.length + "]");
      }
      int from = 0;
      if (pastNames.length > 0 && cache != null && seenLength < length
          && Arrays.equals(seen, 0, seenLength, tokens, 0, seenLength)) {
        from = seenLength;
      }
      OrtSession.Result result;
      try (Step step = new Step(tokens, from, length, from > 0 ? cache : null)) {
        result = step.run();
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed at context length " + length + ": " + e.getMessage(), e);
      }
      try {
        OnnxValue lv = result.get(logitsName).get();
        FloatBuffer all = ((OnnxTensor) lv).getFloatBuffer();
        int rows = length - from;
        all.position((rows - 1) * vocab);
        all.get(out, 0, vocab);
      } catch (RuntimeException e) {
        result.close();
        throw e;
      }
      float invT = (float) (1 / temperature);
      int tv = tokenizer.vocabularySize();
      for (int v = 0; v < vocab; v++) {
        out[v] = v < tv ? (temperature == 1 ? out[v] : out[v] * invT) : Float.NEGATIVE_INFINITY;
      }
      if (cache != null) {
        cache.close();
        cache = null;
      }
      if (pastNames.length > 0) {
        cache = result;
        if (seen.length < length) {
          seen = Arrays.copyOf(seen, Math.max(length, 2 * seen.length));
        }
        System.arraycopy(tokens, 0, seen, 0, length);
        seenLength = length;
      } else {
        result.close();
      }
    }

    @Override
    public void close() {
      closed = true;
      if (cache != null) {
        cache.close();
        cache = null;
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(session);
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "OnnxLanguageModel[vocabulary " + vocab + ", " + (hasKvCache() ? "KV cache" : "no KV cache")
        + ", temperature " + temperature + ", " + tokenizer + "]";
  }
}
