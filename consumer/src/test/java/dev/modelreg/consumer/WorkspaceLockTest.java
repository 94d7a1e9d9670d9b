package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer at a time per target; waiters are told once; the lock file does not outlive its holders. */
class WorkspaceLockTest {
    @TempDir Path tmp;

    @Test
    void aSecondWriterWaitsAndIsToldOnce() throws Exception {
        Path ws = tmp.resolve("ws");
        List<String> told = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            WorkspaceLock first = WorkspaceLock.acquire(ws, told::add);
            assertThat(tmp.resolve(".ws.lock")).exists();
            CountDownLatch acquired = new CountDownLatch(1);
            Future<?> second = pool.submit(() -> {
                try (WorkspaceLock l = WorkspaceLock.acquire(ws, told::add)) {
                    acquired.countDown();
                }
                return null;
            });
            assertThat(acquired.await(300, TimeUnit.MILLISECONDS)).as("the second writer waits").isFalse();
            assertThat(told).hasSize(1).allSatisfy(m -> assertThat(m).contains("Waiting").contains(ws.toString()));
            first.close();
            second.get(10, TimeUnit.SECONDS);
            assertThat(told).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(tmp.resolve(".ws.lock")).doesNotExist();
    }

    /**
     * The OS lock holds for other processes as long as the writer holds the lock: reading the token back by name must
     * not close a descriptor of the locked file (that drops the process's POSIX lock on it).
     */
    @Test
    void anotherProcessSeesTheLockHeldUntilItIsReleased() throws Exception {
        Path ws = tmp.resolve("ws");
        Path lockFile = tmp.resolve(".ws.lock");
        try (WorkspaceLock l = WorkspaceLock.acquire(ws, m -> { })) {
            assertThat(dev.modelreg.testkit.LockProbe.heldByAnotherProcess(lockFile)).as("held while locked").isTrue();
        }
        Files.createFile(lockFile);
        assertThat(dev.modelreg.testkit.LockProbe.heldByAnotherProcess(lockFile)).as("free once released").isFalse();
    }

    @Test
    void neverTwoHoldersAmongThreadsAndTheLockFileIsRemovedAfterEach() throws Exception {
        Path ws = tmp.resolve("ws");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        try (WorkspaceLock l = WorkspaceLock.acquire(ws, m -> { })) {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(1);
        assertThat(tmp.resolve(".ws.lock")).doesNotExist();
    }

    @Test
    void aReaderWithoutAWritableParentReadsWithoutALock() throws Exception {
        assertThat(WorkspaceLock.forReading(tmp.resolve("missing/ws"), m -> { })).isNull();
        Files.writeString(tmp.resolve("file"), "x");
        try (WorkspaceLock l = WorkspaceLock.forReading(tmp.resolve("ws"), m -> { })) {
            assertThat(l).isNotNull();
        }
    }
}
