package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push --image --to-tar FILE} writes through a temp beside FILE that carries its process id: a killed push's is
 * removed by the next one (as the PID-less temp files of earlier versions are, once old), and no link planted in
 * FILE's directory while jib writes is ever written through (spec/README.md 9.2).
 */
class ImageTarLeftoversCliTest {
    @TempDir Path tmp;

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aKilledPushLeavesATempNamedByItsProcessThatTheNextPushRemoves() throws Exception {
        Path models = Modelreg.copyExamples(tmp.resolve("models"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path tar = out.resolve("img.tar");
        String[] push = {"push", models.toString(), "--name", "example", "--ref", "v1", "--image", "--to-tar", tar.toString()};
        List<String> left = List.of();
        for (int i = 0; i < 2; i++) {
            Modelreg.Run killed = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of("MODELREG_TEST_CRASH_AT", "image-tar.before-rename"), push);
            assertThat(killed.code()).as("halted before the rename: %s", killed.err()).isEqualTo(137);
            List<String> before = left;
            left = names(out);
            assertThat(left).as("the killed push's temp, the one before it removed").singleElement()
                    .matches(n -> n.matches("\\.img\\.tar\\.building-\\d+-.+")).isNotIn(before);
        }
        long size = Files.size(out.resolve(left.get(0)).resolve("img.tar"));
        assertThat(size).as("jib's whole tar").isPositive();
        // what an earlier version left (Files.createTempFile: no PID), an hour ago, and one a writer touches now
        Path old = Files.writeString(out.resolve(".img.tar.8412957730129840192.partial"), "half a tar");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(out.resolve(".img.tar.1234567890123.partial"), "being written");

        Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), push), push);

        assertThat(names(out)).containsExactly(fresh.getFileName().toString(), "img.tar");
        assertThat(Files.size(tar)).as("the same reproducible tar").isEqualTo(size);
    }

    /**
     * A user who can write FILE's directory watches it and, whenever a name appears there, plants a link to a file of
     * the victim's wherever that name is free again (where the temp file of an earlier version was deleted before jib
     * opened it by name). The victim's file is unchanged and FILE is the tar.
     */
    @Test
    void aLinkPlantedBesideTheTarWhileJibWritesIsNeverWrittenThrough() throws Exception {
        Path models = Modelreg.copyExamples(tmp.resolve("models"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "the victim's file\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger planted = new AtomicInteger();
        Thread attacker;
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            out.register(ws, StandardWatchEventKinds.ENTRY_CREATE);
            attacker = new Thread(() -> {
                while (!stop.get()) {
                    WatchKey key;
                    try {
                        key = ws.poll(20, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                        return;
                    }
                    if (key == null) continue;
                    for (WatchEvent<?> e : key.pollEvents()) {
                        if (!(e.context() instanceof Path name) || name.toString().equals("img.tar")) continue;
                        Path p = out.resolve(name);
                        for (int i = 0; i < 500 && !stop.get(); i++) { // until the name is free, then take it
                            try {
                                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                                    Files.createSymbolicLink(p, victim);
                                    planted.incrementAndGet();
                                    break;
                                }
                                Thread.sleep(1);
                            } catch (IOException | InterruptedException ignored) {
                                // taken meanwhile: look again
                            }
                        }
                    }
                    key.reset();
                }
            });
            attacker.start();
            StringWriter o = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Cli.run(new String[] {"push", models.toString(), "--name", "example", "--ref", "v1", "--image",
                    "--to-tar", out.resolve("img.tar").toString()}, new PrintWriter(o), new PrintWriter(err));
            stop.set(true);
            attacker.join(10_000);
            assertThat(code).as(err.toString()).isZero();
        }
        assertThat(victim).hasContent("the victim's file");
        assertThat(Files.isSymbolicLink(out.resolve("img.tar"))).isFalse();
        byte[] head = Files.readAllBytes(out.resolve("img.tar"));
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).contains("manifest.json");
    }
}
