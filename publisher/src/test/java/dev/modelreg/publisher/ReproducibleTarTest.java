package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleTarTest {
    @TempDir
    Path tmp;

    private ReproducibleTar.Member member(String key, String content) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        Path p = TestTrees.write(tmp.resolve("src"), key, b);
        return new ReproducibleTar.Member(key, p, b.length, Digest.sha256Of(b));
    }

    private static byte[] tar(List<ReproducibleTar.Member> ms) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReproducibleTar.write(out, ms, 0);
        return out.toByteArray();
    }

    private static final String LONG_SPLITTABLE = "a".repeat(90) + "/" + "b".repeat(60) + "/" + "c".repeat(90) + ".dat";
    private static final String LONG_UNSPLITTABLE = "d/" + "e".repeat(120) + ".nam";

    @Test
    void sameMembersGiveTheSameBytesAndFixedMetadata() throws Exception {
        List<ReproducibleTar.Member> ms = List.of(member("m/a.dis", "dis"), member("m/sub/k.bin", "\u0001\u0002"),
                member(LONG_SPLITTABLE, "long"), member(LONG_UNSPLITTABLE, "longer"), member("m/empty", ""));
        byte[] one = tar(ms);
        Files.setLastModifiedTime(ms.get(0).file(), java.nio.file.attribute.FileTime.fromMillis(123456789000L));
        byte[] two = tar(ms);
        assertThat(two).isEqualTo(one);
        assertThat(one.length % 512).isZero();

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(one))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertThat(e.getMode() & 07777).isEqualTo(0644);
                assertThat(e.getLongUserId()).isZero();
                assertThat(e.getLongGroupId()).isZero();
                assertThat(e.getUserName()).isEmpty();
                assertThat(e.getGroupName()).isEmpty();
                assertThat(e.getModTime().getTime()).isZero();
                assertThat(e.isFile()).isTrue();
                assertThat(e.getExtraPaxHeaders()).isEmpty();
                byte[] body = in.readAllBytes();
                String entryName = e.getName();
                ReproducibleTar.Member m = ms.stream().filter(x -> x.name().equals(entryName)).findFirst().orElseThrow();
                assertThat(Digest.sha256Of(body)).isEqualTo(m.digest());
            }
        }
        assertThat(names).containsExactly("m/a.dis", "m/sub/k.bin", LONG_SPLITTABLE, LONG_UNSPLITTABLE, "m/empty");
        // no PAX headers anywhere: no 'x' or 'g' typeflag in any header
        for (int off = 0; off + 512 <= one.length; off += 512) {
            assertThat(one[off + 156]).isNotIn((byte) 'x', (byte) 'g');
        }
    }

    @Test
    void gnuTarListsTheSameNames() throws Exception {
        List<ReproducibleTar.Member> ms = List.of(member("x/y.txt", "y"), member(LONG_SPLITTABLE, "s"), member(LONG_UNSPLITTABLE, "u"));
        Path t = tmp.resolve("t.tar");
        Files.write(t, tar(ms));
        Process p = new ProcessBuilder("tar", "-tf", t.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines()).containsExactly("x/y.txt", LONG_SPLITTABLE, LONG_UNSPLITTABLE);
    }

    @Test
    void aFileThatChangedSinceIndexingIsAnError() throws Exception {
        ReproducibleTar.Member m = member("m/a.dis", "dis");
        Files.writeString(m.file(), "DIS");
        assertThatThrownBy(() -> tar(List.of(m))).hasMessageContaining("m/a.dis").hasMessageContaining("changed");
        Files.writeString(m.file(), "longer now");
        assertThatThrownBy(() -> tar(List.of(m))).hasMessageContaining("m/a.dis").hasMessageContaining("changed");
    }
}
