package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.util.Map;
import java.util.TreeSet;

/**
 * How many bytes a model image layer may expand to: what its models.toml says it holds (spec/README.md 3.11,
 * "Expansion"). A file models.toml gives a {@code size} must be exactly that long, checked at its tar header before
 * a byte of it is read; the files it gives none share an allowance of {@link Limits#UNSIZED_EXPANSION_FLOOR} plus
 * {@link Limits#UNSIZED_EXPANSION_RATIO} times the compressed layer; {@code ROOT/models.toml} takes its own length;
 * each entry (file or directory) may add {@link Limits#TAR_ENTRY_OVERHEAD_BYTES}, the end of the archive
 * {@link Limits#TAR_END_OVERHEAD_BYTES}. The bytes out of the gunzip are counted as they pass ({@link #expand}) and
 * stopped at the first one past the sum (never more than {@link Limits#MAX_LAYER_EXPANDED_BYTES}).
 */
final class LayerBudget {
    private final String what;
    private final long unsizedAllowance;
    private long limit;
    private long unsizedLeft;
    private long expanded;

    private LayerBudget(long compressed, String what) {
        this.what = what;
        this.unsizedAllowance = add(Limits.UNSIZED_EXPANSION_FLOOR, mul(Limits.UNSIZED_EXPANSION_RATIO, compressed));
        this.unsizedLeft = unsizedAllowance;
    }

    /**
     * The budget of a layer whose models.toml is not known yet (the registry layer read to find it): the files before
     * {@code ROOT/models.toml} count as files without a size.
     */
    static LayerBudget unknown(long compressed, String what) {
        LayerBudget b = new LayerBudget(compressed, what);
        b.limit = add(b.unsizedAllowance, Limits.TAR_END_OVERHEAD_BYTES);
        return b;
    }

    /** The budget of a layer of {@code compressed} bytes that serves {@code serves} (key -> entry) under {@code prefix}. */
    static LayerBudget of(Map<String, FileEntry> serves, String prefix, long compressed, String what) {
        LayerBudget b = new LayerBudget(compressed, what);
        b.limit = b.bound(serves, prefix);
        return b;
    }

    /**
     * Once models.toml ({@code registryBytes} long) is known: the layer's budget is what it allows, and what was read
     * already counts against it ({@code unsizedRead}: the bytes of the files read so far that it gives no size).
     */
    void know(Map<String, FileEntry> serves, String prefix, long registryBytes, long unsizedRead) throws ContentException {
        limit = add(bound(serves, prefix), registryBytes + Limits.TAR_ENTRY_OVERHEAD_BYTES);
        unsizedLeft = unsizedAllowance - unsizedRead;
        if (expanded > limit) throw past();
    }

    private long bound(Map<String, FileEntry> serves, String prefix) {
        long sized = 0;
        boolean unsized = false;
        for (FileEntry e : serves.values()) {
            if (e.size() == null) unsized = true;
            else sized = add(sized, e.size());
        }
        long entries = serves.size() + directories(serves, prefix);
        long total = add(sized, add(mul(Limits.TAR_ENTRY_OVERHEAD_BYTES, entries), Limits.TAR_END_OVERHEAD_BYTES));
        return unsized ? add(total, unsizedAllowance) : total;
    }

    /**
     * The directories above the files of {@code serves} (the root and its parents included): each distinct one once.
     * In sorted order the keys of a directory are contiguous, so a key adds only the directories its predecessor lacks.
     */
    static long directories(Map<String, FileEntry> serves, String prefix) {
        long n = prefix.chars().filter(c -> c == '/').count();
        String prev = "";
        for (String k : new TreeSet<>(serves.keySet())) {
            int common = 0;
            for (int i = 0; i < Math.min(prev.length(), k.length()); i++) {
                if (prev.charAt(i) != k.charAt(i)) break;
                if (k.charAt(i) == '/') common++;
            }
            n += k.chars().filter(c -> c == '/').count() - common;
            prev = k;
        }
        return n;
    }

    /** {@code n} more bytes came out of the gunzip: refused if that is past the budget. */
    void expand(long n) throws ContentException {
        expanded += n;
        if (expanded > limit) throw past();
    }

    /**
     * A file entry of {@code size} bytes (its tar header says) begins, for {@code declared} (null: models.toml is not
     * known yet): exactly the declared size, else within what is left of the allowance of files without one.
     */
    void file(String key, long size, FileEntry declared) throws ContentException {
        if (declared != null && declared.size() != null) {
            if (size != declared.size()) {
                throw VerifyingInputStream.sizeMismatch("file '" + Text.printable(key) + "' in " + what, declared.size(), size);
            }
            return;
        }
        if (size > unsizedLeft) {
            throw new ContentException(ContentException.Kind.INVALID, what + ": file '" + Text.printable(key) + "' is "
                    + size + " bytes, more than models.toml allows: the files it gives no size (and those read before it)"
                    + " take at most " + unsizedAllowance + " bytes in this layer (spec 3.11)");
        }
        unsizedLeft -= size;
    }

    /** The registry layer's {@code ROOT/models.toml} begins ({@code size} at most 16 MiB, checked by the caller). */
    void registry(long size) {
        limit = add(limit, size + Limits.TAR_ENTRY_OVERHEAD_BYTES);
    }

    private ContentException past() {
        return new ContentException(ContentException.Kind.INVALID, what + ": expands past " + limit
                + " bytes, more than models.toml allows for the files it serves (spec 3.11)");
    }

    /** a + b, at most {@link Limits#MAX_LAYER_EXPANDED_BYTES} (both non-negative). */
    private static long add(long a, long b) {
        long cap = Limits.MAX_LAYER_EXPANDED_BYTES;
        return a >= cap || b >= cap - a ? cap : a + b;
    }

    private static long mul(long a, long b) {
        return b != 0 && a > Limits.MAX_LAYER_EXPANDED_BYTES / b ? Limits.MAX_LAYER_EXPANDED_BYTES : a * b;
    }
}
