package dev.modelreg.cli;

import dev.modelreg.consumer.Results.SyncResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelreg sync}: resolve and cache registries (modflow-devtools {@code mf models sync}). Exit 1 if any ref failed. */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Synchronize registries (all configured sources and refs by default).")
public final class SyncCommand extends BaseCommand {
    @Mixin ConsumerOptions opts;
    @Mixin RegistryFlags registry;

    @Option(names = {"--source", "-s"}, description = "Specific source to sync, by key or name (default: all sources).")
    String source;

    @Option(names = {"--ref", "-r"}, description = "Specific ref to sync: a git ref or sha256:<hex> (default: all configured refs).")
    String ref;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "Override the GitHub repository. Requires --source.")
    String repo;

    @Option(names = {"--force", "-f"}, description = "Re-resolve and re-download even if cached.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        List<SyncResult> results;
        try (Progress progress = progress()) {
            results = opts.open(err(), registry, progress).sync(source, ref, repo, force);
        }
        long synced = results.stream().filter(r -> r.status().equals("synced")).count();
        long unchanged = results.stream().filter(r -> r.status().equals("unchanged")).count();
        long skipped = results.stream().filter(r -> r.status().equals("skipped")).count();
        long failed = results.stream().filter(SyncResult::failed).count();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("synced", synced);
            m.put("unchanged", unchanged);
            m.put("skipped", skipped);
            m.put("failed", failed);
            m.put("results", results.stream().map(SyncResult::toJson).toList());
            printJson(m);
        } else {
            out().println("Sync complete:");
            out().println("  Synced: " + synced);
            out().println("  Unchanged: " + unchanged);
            out().println("  Skipped: " + skipped);
            out().println("  Failed: " + failed);
            for (SyncResult r : results) {
                if (r.digest() != null) out().println("  " + r.name() + "@" + r.ref() + " " + r.digest());
            }
            if (failed > 0) {
                out().println();
                out().println("Failed syncs:");
                for (SyncResult r : results) if (r.failed()) out().println("  " + r.name() + "@" + r.ref() + ": " + r.error());
            }
            out().flush();
        }
        return failed > 0 ? ExitCodes.ERROR : ExitCodes.OK;
    }
}
