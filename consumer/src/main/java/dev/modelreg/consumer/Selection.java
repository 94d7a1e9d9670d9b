package dev.modelreg.consumer;

import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.FileKind;
import dev.modelreg.spec.Glob;
import dev.modelreg.spec.KindRules;
import dev.modelreg.spec.ModelsToml;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which files of a ref a pull or copy writes: the files of {@code models} (names or globs; none: every file), then only
 * those matching an {@code include} glob (none: all), minus those matching an {@code exclude} glob, then only those of
 * one of {@code kinds} (none: all; a file's kind is the one its models.toml entry gives, else the one
 * {@link KindRules#defaults()} give its key). Globs are over file keys and model names ({@link Glob}: {@code *} within a
 * segment, {@code **} across). Only the layers that hold the selected files are fetched. A name, glob or kind that
 * selects nothing is NOT_FOUND, in one line naming it.
 */
public record Selection(List<String> models, List<Glob> include, List<Glob> exclude, List<FileKind> kinds) {
    /** Every file. */
    public static final Selection ALL = new Selection(List.of(), List.of(), List.of(), List.of());

    public Selection {
        models = models == null ? List.of() : List.copyOf(models);
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
    }

    /** A selection of models and globs, of files of any kind. */
    public Selection(List<String> models, List<Glob> include, List<Glob> exclude) {
        this(models, include, exclude, List.of());
    }

    /** This selection with {@code --kind} kinds ({@code weight|config|doc|code|dataset}, checked here). */
    public Selection withKinds(List<String> names) {
        List<FileKind> out = new ArrayList<>();
        if (names != null) for (String n : names) out.add(FileKind.parse(n, "--kind"));
        return new Selection(models, include, exclude, out);
    }

    /** The files of these models (names or globs); null or empty: every file. */
    public static Selection models(List<String> models) {
        return new Selection(models, List.of(), List.of());
    }

    /** This selection with {@code --include} and {@code --exclude} globs (texts, checked here). */
    public Selection withFilters(List<String> includes, List<String> excludes) {
        return new Selection(models, globs(includes, "--include"), globs(excludes, "--exclude"), kinds);
    }

    private static List<Glob> globs(List<String> texts, String what) {
        List<Glob> out = new ArrayList<>();
        if (texts != null) for (String t : texts) out.add(Glob.of(t, what));
        return out;
    }

    /** True when it selects every file. */
    public boolean all() {
        return models.isEmpty() && include.isEmpty() && exclude.isEmpty() && kinds.isEmpty();
    }

    /** The selected keys of a ref's registry (in registry order); {@code sourceName} prefixes model names. */
    List<String> keys(ModelsToml r, String sourceName, String label) throws ConsumerException {
        Set<String> keys = new LinkedHashSet<>();
        if (models.isEmpty()) {
            keys.addAll(r.files().keySet());
        } else {
            for (String m : models) {
                for (String name : modelNames(r, m, sourceName, label)) keys.addAll(r.models().get(name));
            }
        }
        return List.copyOf(filter(r, keys, label));
    }

    /** True when it filters a model's files (by glob or kind). */
    boolean filters() {
        return !include.isEmpty() || !exclude.isEmpty() || !kinds.isEmpty();
    }

    /** {@code keys} (files of {@code r}) with the globs, then the kinds, applied. */
    Set<String> filter(ModelsToml r, java.util.Collection<String> keys, String label) throws ConsumerException {
        Set<String> out = filter(keys, label);
        if (kinds.isEmpty()) return out;
        out.removeIf(k -> {
            FileEntry e = r.files().get(k);
            FileKind kind = e != null ? e.kindOf(k, KindRules.defaults()) : KindRules.defaults().kindOf(k).kind();
            return !kinds.contains(kind);
        });
        if (out.isEmpty()) {
            throw ConsumerException.notFound("--kind " + String.join(",", kinds.stream().map(FileKind::id).toList())
                    + " matches no file of " + label + (filtersByGlob() ? " (of those the globs select)" : ""));
        }
        return out;
    }

    private boolean filtersByGlob() {
        return !include.isEmpty() || !exclude.isEmpty() || !models.isEmpty();
    }

    /** {@code keys} (one model's files) with the include and exclude globs applied. */
    Set<String> filter(java.util.Collection<String> keys, String label) throws ConsumerException {
        Set<String> out = new LinkedHashSet<>(keys);
        if (!include.isEmpty()) {
            for (Glob g : include) {
                if (out.stream().noneMatch(g::matches)) {
                    throw ConsumerException.notFound("--include '" + g + "' matches no file of " + label
                            + (models.isEmpty() ? "" : " (of the models asked for)"));
                }
            }
            out.removeIf(k -> include.stream().noneMatch(g -> g.matches(k)));
        }
        if (!exclude.isEmpty()) out.removeIf(k -> exclude.stream().anyMatch(g -> g.matches(k))); // not a stream per file for none
        if (out.isEmpty()) throw ConsumerException.notFound("the filters leave no file of " + label + " to write");
        return out;
    }

    /** The model names {@code m} selects: a glob over names (with or without the source name), else one name. */
    private static List<String> modelNames(ModelsToml r, String m, String sourceName, String label) throws ConsumerException {
        Glob g;
        try {
            g = Glob.of(m, "--model");
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
        if (!g.isPattern()) return List.of(ModelLookup.pick(r, List.of(m, sourceName + "/" + m), label, m));
        Glob prefixed = Glob.of(sourceName + "/" + m, "--model");
        List<String> names = r.models().keySet().stream().filter(n -> g.matches(n) || prefixed.matches(n)).toList();
        if (names.isEmpty()) throw ConsumerException.notFound("no model of " + label + " matches '" + m + "'");
        return names;
    }
}
