package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push asks git for the commit time, revision and path of what it indexes. A git that never ends (a wrapper that
 * waits on a network, a child that keeps its stdout open) or floods its stdout must not hang or exhaust the push: it
 * counts as "no answer" once its time is up, and it is killed with what it started. Run with a stand-in for git.
 */
class GitBoundsTest {
    @TempDir
    Path tmp;

    private Path git(String body) throws Exception {
        Path p = tmp.resolve("git");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aGitThatAnswersIsRead() throws Exception {
        assertThat(Git.run(git("echo \"$@\"").toString(), Duration.ofSeconds(10), tmp, "rev-parse", "HEAD"))
                .isEqualTo("-C " + tmp.toAbsolutePath() + " rev-parse HEAD");
        assertThat(Git.run(git("echo nope; exit 128").toString(), Duration.ofSeconds(10), tmp, "rev-parse", "HEAD")).isNull();
    }

    @Test
    void aGitThatNeverEndsIsNoAnswerAtTheLimitAndIsKilled() throws Exception {
        Path pid = tmp.resolve("child.pid");
        // prints an answer, then a child it leaves behind keeps stdout open (the old reader waited for its end)
        Path g = git("echo 2024-03-01T10:00:00+02:00; sleep 300 & echo $! > " + pid + "; wait");
        long t0 = System.nanoTime();
        assertThat(Git.run(g.toString(), Duration.ofSeconds(2), tmp, "log", "-1", "--format=%cI")).isNull();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("returned at the limit, not at the child's end").isBetween(1_500L, 15_000L);
        long child = Long.parseLong(Files.readString(pid).strip());
        for (int i = 0; i < 100 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(50);
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the child git left").isFalse();
    }

    @Test
    void aGitThatFloodsItsStdoutIsNoAnswer() throws Exception {
        assertThat(Git.run(git("yes").toString(), Duration.ofSeconds(10), tmp, "remote", "get-url", "origin")).isNull();
    }
}
