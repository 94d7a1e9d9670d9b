package dev.modelreg.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a file is to a model, the layer kinds of the CNCF ModelPack format (spec/README.md 1 and 3.12): its weights,
 * the configuration of its weights ({@code config.json}, tokenizers), its documentation, code, or a dataset.
 */
public enum FileKind {
    WEIGHT("weight"), CONFIG("config"), DOC("doc"), CODE("code"), DATASET("dataset");

    private final String id;

    FileKind(String id) {
        this.id = id;
    }

    /** The name in models.toml ({@code kind}), on the command line and in ModelPack media types ({@code config}: weight.config). */
    public String id() {
        return id;
    }

    /** The kind named {@code text} (one of {@link #names()}); anything else is refused in one line naming {@code what}. */
    public static FileKind parse(String text, String what) {
        for (FileKind k : values()) if (k.id.equals(text)) return k;
        throw new IllegalArgumentException(what + ": '" + Text.printable(text) + "' is not a kind (" + names() + ")");
    }

    /** The kinds' names, {@code weight|config|doc|code|dataset}. */
    public static String names() {
        return Arrays.stream(values()).map(FileKind::id).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
