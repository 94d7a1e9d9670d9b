package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Which kind ({@link FileKind}) a file key is, by globs over the key (spec/README.md 3.12, "Kinds"): the first rule
 * that matches wins; a key no rule matches is a {@link FileKind#WEIGHT weight} (for a model set, its files are the
 * model), marked as guessed. Rules given by the user ({@code GLOB=KIND}) come before the defaults.
 */
public final class KindRules {
    /** One rule: the files {@code glob} matches are of {@code kind}. */
    public record Rule(Glob glob, FileKind kind) {}

    /** The kind of a key, and whether a rule said it ({@code false}: no rule matched, the fallback was taken). */
    public record Match(FileKind kind, boolean ruled) {}

    private static final String[][] DEFAULTS = {
            {"**/*.safetensors", "weight"}, {"**/*.gguf", "weight"}, {"**/*.bin", "weight"}, {"**/*.pt", "weight"},
            {"**/*.pth", "weight"}, {"**/*.ckpt", "weight"}, {"**/*.onnx", "weight"}, {"**/*.h5", "weight"},
            {"**/*.pb", "weight"}, {"**/*.tflite", "weight"}, {"**/*.mlmodel", "weight"}, {"**/*.msgpack", "weight"},
            {"**/*.npz", "weight"}, {"**/*.joblib", "weight"}, {"**/*.pkl", "weight"},
            {"**/config.json", "config"}, {"**/generation_config.json", "config"}, {"**/tokenizer*", "config"},
            {"**/vocab*", "config"}, {"**/merges.txt", "config"}, {"**/special_tokens_map.json", "config"},
            {"**/preprocessor_config.json", "config"}, {"**/*.tiktoken", "config"}, {"**/*.model", "config"},
            {"**/README*", "doc"}, {"**/readme*", "doc"}, {"**/LICENSE*", "doc"}, {"**/license*", "doc"},
            {"**/NOTICE*", "doc"}, {"**/CHANGELOG*", "doc"}, {"**/*.md", "doc"}, {"**/*.rst", "doc"},
            {"**/*.pdf", "doc"}, {"**/models.toml", "doc"},
            {"**/*.py", "code"}, {"**/*.ipynb", "code"}, {"**/*.sh", "code"}, {"**/*.js", "code"}, {"**/*.java", "code"},
            {"**/*.c", "code"}, {"**/*.cpp", "code"}, {"**/*.h", "code"}, {"**/*.go", "code"}, {"**/*.rs", "code"},
            {"**/*.r", "code"}, {"**/*.R", "code"}, {"**/requirements*.txt", "code"}, {"**/Makefile", "code"},
            {"**/*.csv", "dataset"}, {"**/*.tsv", "dataset"}, {"**/*.parquet", "dataset"}, {"**/*.jsonl", "dataset"},
            {"**/*.arrow", "dataset"}, {"**/*.txt", "doc"},
    };

    private static final KindRules DEFAULT_RULES = new KindRules(List.of());

    private final List<Rule> rules;

    private KindRules(List<Rule> first) {
        List<Rule> all = new ArrayList<>(first);
        for (String[] d : DEFAULTS) all.add(new Rule(Glob.of(d[0], "kind rule"), FileKind.parse(d[1], "kind rule")));
        this.rules = List.copyOf(all);
    }

    /** The default rules alone. */
    public static KindRules defaults() {
        return DEFAULT_RULES;
    }

    /**
     * The defaults after {@code overrides}, each {@code GLOB=KIND} (e.g. {@code **}{@code /*.dat=dataset}); a bad one is
     * refused in one line naming {@code what} ({@code --kind-rule}).
     */
    public static KindRules of(List<String> overrides, String what) {
        if (overrides == null || overrides.isEmpty()) return DEFAULT_RULES;
        List<Rule> first = new ArrayList<>();
        for (String o : overrides) {
            int eq = o.lastIndexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(what + ": '" + Text.printable(o) + "' is not GLOB=KIND");
            first.add(new Rule(Glob.of(o.substring(0, eq), what), FileKind.parse(o.substring(eq + 1), what)));
        }
        return new KindRules(first);
    }

    /** The kind of {@code key}: the first rule's that matches, else a guessed weight. */
    public Match kindOf(String key) {
        for (Rule r : rules) if (r.glob().matches(key)) return new Match(r.kind(), true);
        return new Match(FileKind.WEIGHT, false);
    }

    /** The rules in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }
}
