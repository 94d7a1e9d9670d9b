package dev.modelreg.cli;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryListing;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.Text;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tags --long}: each tag of a registry repository with its manifest's creation time, size and title. */
final class TagDetails {
    private TagDetails() {}

    static int print(BaseCommand c, Reference r, RegistryOptions o, boolean byCreated) throws Exception {
        if (r.kind() != Reference.Kind.REGISTRY) {
            throw new ExitException(ExitCodes.USAGE, "tags --long reads manifests from a registry: " + Text.printable(r.toString())
                    + " is not a registry repository (tags without --long lists a layout's or archive's tags)");
        }
        List<RegistryListing.Tag> tags = new ArrayList<>(RegistryListing.tags(RegistryStore.connect(r, o), o));
        if (byCreated) {
            tags.sort(Comparator.comparing((RegistryListing.Tag t) -> created(t.created()),
                    Comparator.nullsLast(Comparator.naturalOrder())));
        }
        if (c.json) {
            List<Object> out = new ArrayList<>();
            for (RegistryListing.Tag t : tags) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("tag", t.tag());
                j.put("digest", t.digest().toString());
                j.put("mediaType", t.mediaType());
                j.put("size", t.size());
                j.put("created", t.created());
                j.put("title", t.title());
                out.add(j);
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("location", r.toString());
            j.put("tags", out);
            c.printJson(j);
            return ExitCodes.OK;
        }
        for (RegistryListing.Tag t : tags) {
            c.out().println(t.tag() + " " + t.digest() + " " + (t.created() == null ? "-" : Text.printable(t.created()).replace(' ', '_'))
                    + " " + CacheCommand.bytes(t.size()).replace(' ', '\u00a0') + " " + (t.title() == null ? "-" : Text.printable(t.title())));
        }
        c.out().flush();
        return ExitCodes.OK;
    }

    /** An RFC 3339 time, or null when the annotation is missing or not one (sorted last). */
    private static Instant created(String text) {
        if (text == null) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
