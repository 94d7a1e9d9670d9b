package dev.modelreg.spec;

/**
 * One {@code [files]} entry of models.toml. {@code hash} is null for release-zip registries that carry no
 * hashes, and for a layer of a foreign artifact whose files are known only once it is read (spec/README.md 3.12);
 * {@code url} and {@code path} are optional (null when absent); {@code size} is the file's length in bytes, null when
 * the registry does not say (older registries, modflow-devtools'); {@code kind} is the file's {@link FileKind} when the
 * registry says (null: {@link KindRules#defaults()} decide).
 */
public record FileEntry(Digest hash, String url, String path, Long size, FileKind kind) {
    public FileEntry {
        if (size != null && size < 0) throw new IllegalArgumentException("a file size cannot be negative: " + size);
    }

    /** An entry without a kind. */
    public FileEntry(Digest hash, String url, String path, Long size) {
        this(hash, url, path, size, null);
    }

    /** An entry without a size or a kind. */
    public FileEntry(Digest hash, String url, String path) {
        this(hash, url, path, null, null);
    }

    public static FileEntry ofHash(Digest hash) {
        return new FileEntry(hash, null, null);
    }

    /** The kind the entry gives, else the one {@code rules} give {@code key}. */
    public FileKind kindOf(String key, KindRules rules) {
        return kind != null ? kind : rules.kindOf(key).kind();
    }
}
