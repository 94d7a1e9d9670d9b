package dev.modelreg.content;

import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarded tag moves ({@link TagCondition}) in every store: a tag that is not where it is expected is not moved
 * (CONFLICT), checked before any write and again just before the write itself (under a layout's lock, at an
 * archive's commit under its lock, with a HEAD before a registry's PUT).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TagConditionTest {
    @TempDir Path tmp;

    static void conflict(ThrowingCallable call, String... inMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ModelregException.class,
                e -> assertThat(e.kind()).isEqualTo(ModelregException.Kind.CONFLICT)).hasMessageContainingAll(inMessage);
    }

    @Test
    void conditionsSayWhatTheTagIsAndWhatWasExpected() throws Exception {
        Digest a = Digest.sha256Of(new byte[] {1});
        Digest b = Digest.sha256Of(new byte[] {2});
        TagCondition.absent().check("t", null, a, "here");
        TagCondition.at(a).check("t", a, b, "here");
        TagCondition.noClobber().check("t", null, a, "here");
        TagCondition.noClobber().check("t", a, a, "here");
        TagCondition.ANY.check("t", b, a, "here");
        conflict(() -> TagCondition.absent().check("t", a, b, "here"), "tag 't' in here points at " + a, "expected not to exist");
        conflict(() -> TagCondition.at(a).check("t", b, a, "here"), "points at " + b, "expected at " + a, "not moved");
        conflict(() -> TagCondition.at(a).check("t", null, b, "here"), "does not exist", "expected at " + a);
        conflict(() -> TagCondition.noClobber().check("t", b, a, "here"), "points at " + b, "no-clobber");

        assertThat(TagCondition.parseExpected("none").toString()).isEqualTo("none");
        assertThat(TagCondition.parseExpected(a.toString()).toString()).isEqualTo(a.toString());
        for (String bad : List.of("None", "sha256:abc", "latest", a.toString().toUpperCase(), "")) {
            assertThatThrownBy(() -> TagCondition.parseExpected(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("none");
        }
    }

    /** tag's digest in t, or null. */
    private static Digest at(Target t, String tag) throws IOException {
        return TagCondition.current(t, tag);
    }

    /** Two artifacts in {@code t}, tagged v1 and v2, and prod at v1; checks guarded moves of prod. */
    private static void retagGuarded(Target t, Runnable commit) throws Exception {
        Blobs.Artifact one = Blobs.artifact(1, 2);
        Blobs.Artifact two = Blobs.artifact(2, 2);
        one.pushTo(t);
        two.pushTo(t);
        t.tag(one.root(), "v1");
        t.tag(two.root(), "v2");
        commit.run();
        Digest a = one.root().digest();
        Digest b = two.root().digest();

        assertThat(Retag.run(t, "v1", List.of("prod"), TagCondition.absent())).extracting(Retag.Moved::status).containsExactly("new");
        commit.run();
        conflict(() -> Retag.run(t, "v2", List.of("prod"), TagCondition.absent()), "tag 'prod'", "points at " + a, "expected not to exist");
        conflict(() -> Retag.run(t, "v2", List.of("prod"), TagCondition.at(b)), "expected at " + b);
        conflict(() -> Retag.run(t, "v2", List.of("prod"), TagCondition.noClobber()), "no-clobber");
        assertThat(at(t, "prod")).isEqualTo(a);
        // every tag is checked before any is written: a new one beside a stale one is not written either
        conflict(() -> Retag.run(t, "v2", List.of("fresh", "prod"), TagCondition.noClobber()), "tag 'prod'");
        assertThat(at(t, "fresh")).isNull();

        List<Retag.Moved> moved = Retag.run(t, "v2", List.of("prod"), TagCondition.at(a));
        commit.run();
        assertThat(moved).extracting(Retag.Moved::status).containsExactly("moved");
        assertThat(at(t, "prod")).isEqualTo(b);
        assertThat(Retag.run(t, "v2", List.of("prod"), TagCondition.noClobber())).extracting(Retag.Moved::status)
                .containsExactly("unchanged");
    }

    @Test
    void layoutMovesOnlyWhatIsWhereItWasExpected() throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        retagGuarded(layout, () -> { });

        // a second handle moved the tag since this one read it: the check under the lock sees it
        Descriptor v1 = layout.resolve("v1");
        Descriptor prod = layout.resolve("prod");
        OciLayout.open(tmp.resolve("layout")).tag(v1, "prod");
        conflict(() -> layout.tag(prod, "prod", null, TagCondition.at(prod.digest())), "points at " + v1.digest());
        assertThat(at(layout, "prod")).isEqualTo(v1.digest());
    }

    @Test
    void archiveChecksAgainAtCommitUnderItsLock() throws Exception {
        Path file = tmp.resolve("a.tar");
        OciArchive archive = OciArchive.open(file);
        retagGuarded(archive, () -> {
            try {
                archive.commit();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        // this writer's view passes the check; another writer moves the tag before this one commits
        Descriptor v1 = archive.resolve("v1");
        Descriptor v2 = archive.resolve("v2");
        try (OciArchive stale = OciArchive.open(file); OciArchive other = OciArchive.open(file)) {
            Retag.run(stale, "v1", List.of("prod"), TagCondition.at(v2.digest())); // prod is at v2 in its view
            Retag.run(other, "v1", List.of("prod", "other"), TagCondition.ANY);
            other.commit();
            long size = Files.size(file);
            conflict(stale::commit, "tag 'prod'", "points at " + v1.digest(), "expected at " + v2.digest());
            assertThat(Files.size(file)).isEqualTo(size);
        }
        try (OciArchive now = OciArchive.open(file)) {
            assertThat(now.resolve("prod").digest()).isEqualTo(v1.digest());
            assertThat(now.resolve("other").digest()).isEqualTo(v1.digest());
        }
    }

    @Test
    void registryReadsTheTagJustBeforeThePut() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            RegistryStore store = RegistryStore.connect(OciReference.parse(reg.host() + "/models/guarded"), RegistryOptions.defaults());
            retagGuarded(store, () -> { });

            // a copy checked before it uploads; another writer moves the tag while its blobs go up: the tag stays
            Blobs.Artifact three = Blobs.artifact(3, 2);
            OciLayout src = OciLayout.open(tmp.resolve("src"));
            three.pushTo(src);
            Descriptor v1 = store.resolve("v1");
            Descriptor v2 = store.resolve("v2");
            TagCondition expectV2 = TagCondition.at(v2.digest());
            expectV2.precheck(store, "prod", three.root().digest());
            AtomicBoolean movedMeanwhile = new AtomicBoolean();
            CopyListener racer = new CopyListener() {
                @Override
                public void copied(Digest digest, long size) {
                    if (movedMeanwhile.compareAndSet(false, true)) {
                        try {
                            RegistryStore.connect(OciReference.parse(reg.host() + "/models/guarded"), RegistryOptions.defaults())
                                    .tag(v1, "prod");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            };
            CopyOptions o = CopyOptions.defaults().withConcurrency(1).withListener(racer).withTagCondition(expectV2);
            conflict(() -> Copy.copy(src, three.root(), store, "prod", o), "tag 'prod'", "points at " + v1.digest(),
                    "expected at " + v2.digest());
            assertThat(movedMeanwhile).isTrue();
            assertThat(at(store, "prod")).isEqualTo(v1.digest());
            assertThat(store.exists(three.root())).as("the manifest went up; only the tag was refused").isTrue();

            // the same copy expecting what the tag is now moves it
            Copy.copy(src, three.root(), store, "prod", CopyOptions.defaults().withTagCondition(TagCondition.at(v1.digest())));
            assertThat(at(store, "prod")).isEqualTo(three.root().digest());
        }
    }
}
