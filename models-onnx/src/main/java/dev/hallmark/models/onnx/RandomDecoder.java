package dev.hallmark.models.onnx;

import dev.hallmark.models.onnx.internal.Proto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a randomly initialised GPT-2-shaped decoder as an ONNX model, laid out like an
 * {@code optimum-cli export onnx} export: inputs {@code input_ids}, {@code attention_mask} (and, with
 * past key values, {@code position_ids} and {@code past_key_values.N.key/value} of shape
 * {@code [batch, heads, past, headDim]}); outputs {@code logits} {@code [batch, seq, vocab]} (and
 * {@code present.N.key/value}), with a WordLevel {@code tokenizer.json} of made-up words
 * ({@link #writeTokenizer}), so the folder works as {@code hallmark text generate --model DIR}. Pre-LayerNorm blocks, causal attention, tanh-GELU MLP, tied output
 * embedding, as GPT-2. For tests and benchmarks where no pretrained weights can be downloaded; the
 * weights are a deterministic function of the seed. Also writes {@code weights.bin} (little-endian
 * float32 tensors) and {@code weights.json} (their names, shapes, offsets) so that another runtime
 * (the Python tests' torch decoder) can build the same model. Immutable.
 */
public final class RandomDecoder {
  private final int layers;
  private final int width;
  private final int heads;
  private final int vocabulary;
  private final int positions;
  private final boolean past;
  private final long seed;

  /**
   * @param layers transformer blocks, 1..96
   * @param width model width, a multiple of {@code heads}
   * @param heads attention heads
   * @param vocabulary logits size, 2..2^24
   * @param positions learned position embeddings (the longest context)
   * @param pastKeyValues whether the model takes and returns the key/value cache
   * @param seed the weights' seed
   */
  public RandomDecoder(int layers, int width, int heads, int vocabulary, int positions, boolean pastKeyValues, long seed) {
    if (layers < 1 || layers > 96 || heads < 1 || width < heads || width % heads != 0 || vocabulary < 2
        || vocabulary > (1 << 24) || positions < 1) {
      throw new IllegalArgumentException("bad decoder shape: layers " + layers + ", width " + width + ", heads "
          + heads + ", vocabulary " + vocabulary + ", positions " + positions);
    }
    this.layers = layers;
    this.width = width;
    this.heads = heads;
    this.vocabulary = vocabulary;
    this.positions = positions;
    this.past = pastKeyValues;
    this.seed = seed;
  }

  /** GPT-2 small's shape: 12 layers, width 768, 12 heads, 50,257 tokens, 1,024 positions. */
  public static RandomDecoder gpt2Small(boolean pastKeyValues, long seed) {
    return new RandomDecoder(12, 768, 12, 50257, 1024, pastKeyValues, seed);
  }

  private static final int FLOAT = 1;
  private static final int INT64 = 7;
  private static final int BOOL = 9;

  private final class Graph {
    final Proto graph = new Proto();
    final Map<String, byte[]> weights = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    final SplittableRandom rnd = new SplittableRandom(seed);
    int counter;

    String fresh(String base) {
      return base + "_" + (counter++);
    }

    String node(String op, String[] in, Proto... attrs) {
      String out = fresh(op.toLowerCase());
      nodeTo(op, in, new String[] {out}, attrs);
      return out;
    }

    void nodeTo(String op, String[] in, String[] out, Proto... attrs) {
      Proto n = new Proto();
      for (String i : in) {
        n.str(1, i);
      }
      for (String o : out) {
        n.str(2, o);
      }
      n.str(3, out[0] + "_node");
      n.str(4, op);
      for (Proto a : attrs) {
        n.msg(5, a);
      }
      graph.msg(1, n);
    }

    String weight(String name, double std, double mean, long... dims) {
      int n = 1;
      for (long d : dims) {
        n = Math.multiplyExact(n, (int) d);
      }
      ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        b.putFloat((float) (mean + (std == 0 ? 0 : std * rnd.nextGaussian())));
      }
      return init(name, FLOAT, b.array(), dims);
    }

    String init(String name, int type, byte[] data, long... dims) {
      Proto t = new Proto();
      for (long d : dims) {
        t.i64(1, d);
      }
      t.i64(2, type);
      t.str(8, name);
      t.bytes(9, data);
      graph.msg(5, t);
      if (type == FLOAT) {
        weights.put(name, data);
        shapes.put(name, dims);
      }
      return name;
    }

    String ints(String name, long... v) {
      ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long x : v) {
        b.putLong(x);
      }
      return init(name, INT64, b.array(), v.length);
    }

    String scalarF(String name, float v) {
      ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
      return init(name, FLOAT, b.array());
    }

    void io(int field, String name, int type, Object... dims) {
      Proto shape = new Proto();
      for (Object d : dims) {
        Proto dim = new Proto();
        if (d instanceof String s) {
          dim.str(2, s);
        } else {
          dim.i64(1, ((Number) d).longValue());
        }
        shape.msg(1, dim);
      }
      Proto tensor = new Proto().i64(1, type).msg(2, shape);
      Proto typeProto = new Proto().msg(1, tensor);
      graph.msg(field, new Proto().str(1, name).msg(2, typeProto));
    }
  }

  private static Proto attrI(String name, long v) {
    return new Proto().str(1, name).i64(3, v).i64(20, 2);
  }

  private static Proto attrF(String name, float v) {
    return new Proto().str(1, name).f32(2, v).i64(20, 1);
  }

  private static Proto attrInts(String name, long... v) {
    Proto p = new Proto().str(1, name);
    for (long x : v) {
      p.i64(8, x);
    }
    return p.i64(20, 7);
  }

  private static Proto attrTensor(String name, Proto tensor) {
    return new Proto().str(1, name).msg(5, tensor).i64(20, 4);
  }

  /** Writes {@code model.onnx}, {@code weights.bin} and {@code weights.json} into {@code dir} (created). */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Graph g = new Graph();
    int d = width;
    int dh = width / heads;
    g.graph.str(2, "hallmark-random-gpt2");
    double embStd = 1.5 / Math.sqrt(d);
    double projStd = 1.0 / Math.sqrt(d);
    String wte = g.weight("wte", embStd, 0, vocabulary, d);
    String wpe = g.weight("wpe", 0.5, 0, positions, d);
    String one = g.scalarF("c_one", 1f);
    String half = g.scalarF("c_half", 0.5f);
    String three = g.scalarF("c_three", 3f);
    String gk = g.scalarF("c_gelu_k", 0.044715f);
    String gs = g.scalarF("c_gelu_s", (float) Math.sqrt(2 / Math.PI));
    String scale = g.scalarF("c_scale", (float) (1 / Math.sqrt(dh)));
    String neg = g.scalarF("c_neg", -1e9f);
    String reshapeHeads = g.ints("c_shape_heads", 0, 0, heads, dh);
    String reshapeBack = g.ints("c_shape_back", 0, 0, d);
    String split = g.ints("c_split", d, d, d);
    String idx1 = g.ints("c_1", 1);
    String idx2 = g.ints("c_2", 2);
    String idx0 = g.ints("c_0", 0);

    // Inputs (optimum's names and layouts).
    g.io(11, "input_ids", INT64, "batch_size", "sequence_length");
    g.io(11, "attention_mask", INT64, "batch_size", past ? "total_sequence_length" : "sequence_length");
    if (past) {
      g.io(11, "position_ids", INT64, "batch_size", "sequence_length");
      for (int l = 0; l < layers; l++) {
        g.io(11, "past_key_values." + l + ".key", FLOAT, "batch_size", heads, "past_sequence_length", dh);
        g.io(11, "past_key_values." + l + ".value", FLOAT, "batch_size", heads, "past_sequence_length", dh);
      }
    }
    g.io(12, "logits", FLOAT, "batch_size", "sequence_length", vocabulary);
    if (past) {
      for (int l = 0; l < layers; l++) {
        g.io(12, "present." + l + ".key", FLOAT, "batch_size", heads, "total_sequence_length", dh);
        g.io(12, "present." + l + ".value", FLOAT, "batch_size", heads, "total_sequence_length", dh);
      }
    }

    // Sequence lengths and the causal mask [S, P+S]: keep column j of row i iff j <= i + P.
    String shapeIds = g.node("Shape", new String[] {"input_ids"});
    String s1 = g.node("Slice", new String[] {shapeIds, idx1, idx2});
    String p1;
    if (past) {
      String shapePast = g.node("Shape", new String[] {"past_key_values.0.key"});
      p1 = g.node("Slice", new String[] {shapePast, idx2, g.ints("c_3", 3)});
    } else {
      p1 = idx0;
    }
    String t1 = g.node("Add", new String[] {p1, s1});
    String maskShape = g.node("Concat", new String[] {s1, t1}, attrI("axis", 0));
    Proto oneTensor = new Proto().i64(1, 1).i64(2, FLOAT).str(8, "one").bytes(9,
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).array());
    String ones = g.node("ConstantOfShape", new String[] {maskShape}, attrTensor("value", oneTensor));
    String pScalar = g.node("Squeeze", new String[] {p1, idx0});
    String tri = g.node("Trilu", new String[] {ones, pScalar}, attrI("upper", 0));
    String mask = g.node("Cast", new String[] {tri}, attrI("to", BOOL));

    // Embeddings.
    String positionIds;
    if (past) {
      positionIds = "position_ids";
    } else {
      String sScalar = g.node("Squeeze", new String[] {s1, idx0});
      // Range takes 0-D tensors: squeeze the 1-element constants 0 and 1.
      positionIds = g.node("Range", new String[] {
          g.node("Squeeze", new String[] {idx0, idx0}), sScalar, g.node("Squeeze", new String[] {idx1, idx0})});
    }
    String x = g.node("Add", new String[] {
        g.node("Gather", new String[] {wte, "input_ids"}, attrI("axis", 0)),
        g.node("Gather", new String[] {wpe, positionIds}, attrI("axis", 0))});

    for (int l = 0; l < layers; l++) {
      String pre = "h" + l + ".";
      String ln1 = layerNorm(g, x, pre + "ln_1");
      String qkv = g.node("Add", new String[] {
          g.node("MatMul", new String[] {ln1, g.weight(pre + "attn.c_attn.weight", projStd, 0, d, 3L * d)}),
          g.weight(pre + "attn.c_attn.bias", 0.02, 0, 3L * d)});
      String q = g.fresh("q");
      String k = g.fresh("k");
      String v = g.fresh("v");
      g.nodeTo("Split", new String[] {qkv, split}, new String[] {q, k, v}, attrI("axis", 2));
      String qh = heads(g, q, reshapeHeads);
      String kh = heads(g, k, reshapeHeads);
      String vh = heads(g, v, reshapeHeads);
      if (past) {
        String kAll = "present." + l + ".key";
        String vAll = "present." + l + ".value";
        g.nodeTo("Concat", new String[] {"past_key_values." + l + ".key", kh}, new String[] {kAll}, attrI("axis", 2));
        g.nodeTo("Concat", new String[] {"past_key_values." + l + ".value", vh}, new String[] {vAll}, attrI("axis", 2));
        kh = kAll;
        vh = vAll;
      }
      String scores = g.node("Mul", new String[] {
          g.node("MatMul", new String[] {qh, g.node("Transpose", new String[] {kh}, attrInts("perm", 0, 1, 3, 2))}),
          scale});
      String masked = g.node("Where", new String[] {mask, scores, neg});
      String probs = g.node("Softmax", new String[] {masked}, attrI("axis", -1));
      String att = g.node("Reshape", new String[] {
          g.node("Transpose", new String[] {g.node("MatMul", new String[] {probs, vh})}, attrInts("perm", 0, 2, 1, 3)),
          reshapeBack});
      String proj = g.node("Add", new String[] {
          g.node("MatMul", new String[] {att, g.weight(pre + "attn.c_proj.weight", projStd, 0, d, d)}),
          g.weight(pre + "attn.c_proj.bias", 0.02, 0, d)});
      x = g.node("Add", new String[] {x, proj});
      String ln2 = layerNorm(g, x, pre + "ln_2");
      String fc = g.node("Add", new String[] {
          g.node("MatMul", new String[] {ln2, g.weight(pre + "mlp.c_fc.weight", projStd, 0, d, 4L * d)}),
          g.weight(pre + "mlp.c_fc.bias", 0.02, 0, 4L * d)});
      // gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      String cube = g.node("Pow", new String[] {fc, three});
      String inner = g.node("Mul", new String[] {g.node("Add", new String[] {fc, g.node("Mul", new String[] {cube, gk})}), gs});
      String gelu = g.node("Mul", new String[] {
          g.node("Mul", new String[] {fc, half}),
          g.node("Add", new String[] {one, g.node("Tanh", new String[] {inner})})});
      String mlp = g.node("Add", new String[] {
          g.node("MatMul", new String[] {gelu, g.weight(pre + "mlp.c_proj.weight", 0.5 / Math.sqrt(4.0 * d), 0, 4L * d, d)}),
          g.weight(pre + "mlp.c_proj.bias", 0.02, 0, d)});
      x = g.node("Add", new String[] {x, mlp});
    }
    String lnF = layerNorm(g, x, "ln_f");
    String wteT = g.node("Transpose", new String[] {wte}, attrInts("perm", 1, 0));
    g.nodeTo("MatMul", new String[] {lnF, wteT}, new String[] {"logits"});

    Proto model = new Proto()
        .i64(1, 8)
        .str(2, "hallmark")
        .str(3, "1")
        .msg(7, g.graph)
        .msg(8, new Proto().str(1, "").i64(2, 17));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("model.onnx")), 1 << 20)) {
      model.writeTo(out);
    }
    writeWeights(g, dir);
    writeTokenizer(dir.resolve("tokenizer.json"), vocabulary);
  }

  private static final String[] CONSONANTS = {"b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u"};

  /** The made-up word of {@link #writeTokenizer} for token {@code id >= 1}: base-75 digits as syllables. */
  public static String word(int id) {
    StringBuilder b = new StringBuilder();
    int n = id - 1;
    do {
      int syl = n % 75;
      b.insert(0, CONSONANTS[syl % 15] + VOWELS[syl / 15]);
      n /= 75;
    } while (n > 0);
    return b.toString();
  }

  /**
   * Writes a Hugging Face WordLevel {@code tokenizer.json} of {@code vocabulary} tokens: id 0 is
   * {@code [UNK]}, the others are made-up lower-case words ({@link #word}); words are split on
   * whitespace and decoded joined by spaces, so decoding then encoding gives the same ids back.
   */
  public static void writeTokenizer(Path file, int vocabulary) throws IOException {
    StringBuilder b = new StringBuilder(vocabulary * 12);
    b.append("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[{\"id\":0,")
        .append("\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,")
        .append("\"normalized\":false,\"special\":true}],\"normalizer\":null,")
        .append("\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,\"decoder\":null,")
        .append("\"model\":{\"type\":\"WordLevel\",\"unk_token\":\"[UNK]\",\"vocab\":{\"[UNK]\":0");
    for (int id = 1; id < vocabulary; id++) {
      b.append(",\"").append(word(id)).append("\":").append(id);
    }
    b.append("}}}\n");
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  private void writeWeights(Graph g, Path dir) throws IOException {
    StringBuilder json = new StringBuilder();
    json.append("{\"format\":\"hallmark-random-gpt2\",\"version\":1,\"layers\":").append(layers)
        .append(",\"width\":").append(width).append(",\"heads\":").append(heads)
        .append(",\"vocabulary\":").append(vocabulary).append(",\"positions\":").append(positions)
        .append(",\"tensors\":[");
    long offset = 0;
    List<String> parts = new ArrayList<>();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("weights.bin")), 1 << 20)) {
      for (Map.Entry<String, byte[]> e : g.weights.entrySet()) {
        if (e.getKey().startsWith("c_")) {
          continue;
        }
        StringBuilder s = new StringBuilder();
        s.append("{\"name\":\"").append(e.getKey()).append("\",\"shape\":[");
        long[] dims = g.shapes.get(e.getKey());
        for (int i = 0; i < dims.length; i++) {
          s.append(i == 0 ? "" : ",").append(dims[i]);
        }
        s.append("],\"offset\":").append(offset).append('}');
        parts.add(s.toString());
        out.write(e.getValue());
        offset += e.getValue().length;
      }
    }
    json.append(String.join(",", parts)).append("]}\n");
    Files.writeString(dir.resolve("weights.json"), json.toString(), StandardCharsets.UTF_8);
  }

  private String layerNorm(Graph g, String x, String name) {
    String gamma = g.weight(name + ".weight", 0.1, 1.0, width);
    String beta = g.weight(name + ".bias", 0.02, 0, width);
    return g.node("LayerNormalization", new String[] {x, gamma, beta}, attrI("axis", -1), attrF("epsilon", 1e-5f));
  }

  private static String heads(Graph g, String t, String shape) {
    return g.node("Transpose", new String[] {g.node("Reshape", new String[] {t, shape})}, attrInts("perm", 0, 2, 1, 3));
  }
}
