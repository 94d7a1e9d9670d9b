package dev.modelreg.consumer;

import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.ModelAddress;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.SourceConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a MODEL argument into a source, a ref and the candidate model names: {@code name/sub/path} (against the
 * first configured ref of the source whose name is the longest prefix), {@code source@ref/sub/path} or
 * {@code source@sha256:<hex>/sub/path} (source = key or name; the model is {@code name/sub/path} or
 * {@code sub/path} as written in the registry).
 */
final class ModelLookup {
    private ModelLookup() {}

    record Address(SourceConfig source, String ref, List<String> candidates, String text) {}

    static Address resolve(BootstrapConfig config, String text, java.util.function.Function<String, List<String>> knownRefs) throws ConsumerException {
        ModelAddress a;
        try {
            a = ModelAddress.parse(text, knownRefs);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage());
        }
        if (a.source() != null) {
            SourceConfig s = source(config, a.source());
            String ref = a.pin() != null ? a.pin().toString() : a.ref();
            if (ref == null || ref.isEmpty()) ref = firstRef(s);
            String path = a.path() == null ? "" : strip(a.path());
            Set<String> c = new LinkedHashSet<>();
            if (!path.isEmpty()) {
                c.add(s.name() + "/" + path);
                c.add(path);
            }
            return new Address(s, ref, List.copyOf(c), text);
        }
        String path = strip(a.path() == null ? text : a.path());
        SourceConfig best = null;
        for (SourceConfig s : config.sources().values()) {
            if ((path.equals(s.name()) || path.startsWith(s.name() + "/"))
                    && (best == null || s.name().length() > best.name().length())) {
                best = s;
            }
        }
        if (best == null) {
            throw ConsumerException.notFound("no configured source's name is a prefix of model '" + text
                    + "' (sources: " + available(config) + "); use SOURCE@REF/MODEL");
        }
        return new Address(best, firstRef(best), List.of(path), text);
    }

    static SourceConfig source(BootstrapConfig config, String keyOrName) throws ConsumerException {
        SourceConfig s = config.sources().get(keyOrName);
        if (s != null) return s;
        for (SourceConfig x : config.sources().values()) if (x.name().equals(keyOrName)) return x;
        throw ConsumerException.notFound("Source '" + keyOrName + "' not found in config. Available sources: " + available(config));
    }

    static String available(BootstrapConfig config) {
        return config.sources().values().stream().map(s -> s.key() + " (" + s.name() + ")").collect(Collectors.joining(", "));
    }

    private static String firstRef(SourceConfig s) throws ConsumerException {
        if (s.refs() == null || s.refs().isEmpty()) {
            throw new ConsumerException("source '" + s.key() + "' has no refs configured; give one as " + s.key() + "@REF/MODEL");
        }
        return s.refs().get(0);
    }

    private static String strip(String p) {
        String x = p;
        while (x.startsWith("/")) x = x.substring(1);
        while (x.endsWith("/")) x = x.substring(0, x.length() - 1);
        return x;
    }

    /** The first candidate the registry has, else an error naming the closest model names. */
    static String pick(ModelsToml r, List<String> candidates, String label, String text) throws ConsumerException {
        for (String c : candidates) if (r.models().containsKey(c)) return c;
        String want = candidates.isEmpty() ? text : candidates.get(0);
        throw ConsumerException.notFound("model '" + text + "' not found in " + label + closest(r.models().keySet(), want));
    }

    static String closest(Set<String> names, String want) {
        if (names.isEmpty()) return " (it has no models)";
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparingInt((String n) -> distance(n, want)).thenComparing(n -> n));
        return "; closest: " + String.join(", ", sorted.subList(0, Math.min(5, sorted.size())));
    }

    /** Levenshtein distance, with a bonus for names that contain the wanted text's last segment. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        String last = b.substring(b.lastIndexOf('/') + 1);
        return prev[b.length()] - (!last.isEmpty() && a.contains(last) ? last.length() : 0);
    }
}
