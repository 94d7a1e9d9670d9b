package dev.modelreg.testkit;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 (ephemeral port) in front of a loopback server (the real registry, the GitHub
 * fixture) that injects faults into the exchanges a {@link Rule} selects (method, a regex found in the path, how many
 * times): a body cut off ({@link Fault#truncate}), a connection reset midway ({@link Fault#reset}, an RST), wrong
 * bytes of the right length ({@link Fault#corrupt}), a Content-Length that is not the body's
 * ({@link Fault#contentLength}), silence midway ({@link Fault#stall}), a status instead of the answer
 * ({@link Fault#status}: 429 carries {@code Retry-After: 1}; {@link Fault#registryError}: with a distribution error
 * body) and a redirect to itself ({@link Fault#redirectLoop}).
 * Everything else is forwarded unchanged.
 *
 * <p>Kept simple on purpose: one exchange per connection (the client is told {@code Connection: close}); request and
 * response bodies are read whole into memory (test-sized content only), a chunked body is de-chunked and sent with a
 * Content-Length; a {@code Location} that points at the server is rewritten to point at the proxy, so redirects
 * (GitHub release downloads) come back through it. Every exchange is logged ({@link #exchanges}) with the fault it got,
 * and each rule counts what it injected, so tests can assert the retry and the resume {@code Range} they caused.
 * (The HTTP/1.1 wire is {@link HttpMessage}'s; how a body or an answer is broken, {@link FaultWire}'s.)
 *
 * <pre>{@code
 * try (FaultProxy p = FaultProxy.start(registry.port())) {
 *     FaultProxy.Rule r = p.inject("GET", "/blobs/" + digest, FaultProxy.Fault.reset(-1), 1);
 *     ... pull from p.host() ...
 *     assertThat(r.injected()).isEqualTo(1);
 *     assertThat(p.exchanges()).extracting(FaultProxy.Exchange::range) ...
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    /** How many times a rule applies when it should never stop. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    /** What a fault does. */
    public enum Kind {
        /** The body stops after {@code at} bytes and the connection is closed normally (FIN). */
        TRUNCATE,
        /** The body stops after {@code at} bytes and the connection is reset (RST, SO_LINGER 0). */
        RESET,
        /** The byte at {@code at} is flipped: the right length, the wrong content. */
        CORRUPT,
        /** The Content-Length says the body's length plus {@code delta}; the body itself is sent as it is. */
        CONTENT_LENGTH,
        /** After {@code at} bytes nothing more is sent for {@code hold} (or until the client gives up), then the connection is closed. */
        STALL,
        /** The server is not asked: the proxy answers {@code status} itself (429 with {@code Retry-After: 1}). */
        STATUS,
        /** The server is not asked: the proxy answers 302 with the request's own URL as Location. */
        REDIRECT_LOOP
    }

    /**
     * One fault. {@code at} is a position in the body sent (of a 206, counted from its first byte); negative means
     * the middle of the body. Body faults apply only to a 2xx answer with a body; to anything else the exchange is
     * forwarded unchanged and the rule is not used up.
     */
    public record Fault(Kind kind, long at, long delta, int status, Duration hold, String code) {
        public static Fault truncate(long at) {
            return new Fault(Kind.TRUNCATE, at, 0, 0, null, null);
        }

        public static Fault reset(long at) {
            return new Fault(Kind.RESET, at, 0, 0, null, null);
        }

        public static Fault corrupt(long at) {
            return new Fault(Kind.CORRUPT, at, 0, 0, null, null);
        }

        /** A Content-Length of the body's length plus {@code delta} (non-zero). */
        public static Fault contentLength(long delta) {
            if (delta == 0) throw new IllegalArgumentException("a Content-Length fault needs a non-zero delta");
            return new Fault(Kind.CONTENT_LENGTH, 0, delta, 0, null, null);
        }

        public static Fault stall(long at, Duration hold) {
            return new Fault(Kind.STALL, at, 0, 0, hold, null);
        }

        public static Fault status(int status) {
            if (status < 100 || status > 599) throw new IllegalArgumentException("status " + status);
            return new Fault(Kind.STATUS, 0, 0, status, null, null);
        }

        /**
         * The server is not asked: the proxy answers {@code status} with a distribution error body whose code is
         * {@code code} (DIGEST_INVALID, MANIFEST_BLOB_UNKNOWN, ...), as a registry refusing the request would.
         */
        public static Fault registryError(int status, String code) {
            if (status < 400 || status > 599) throw new IllegalArgumentException("status " + status);
            return new Fault(Kind.STATUS, 0, 0, status, null, code);
        }

        public static Fault redirectLoop() {
            return new Fault(Kind.REDIRECT_LOOP, 0, 0, 302, null, null);
        }

        boolean needsBody() {
            return kind != Kind.STATUS && kind != Kind.REDIRECT_LOOP;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case STATUS -> "status " + status + (code != null ? " " + code : "");
                case REDIRECT_LOOP -> "redirect loop";
                case CONTENT_LENGTH -> "Content-Length " + (delta > 0 ? "+" : "") + delta;
                case STALL -> "stall at " + at + " for " + hold;
                default -> kind.name().toLowerCase(Locale.ROOT) + " at " + at;
            };
        }
    }

    /** Which exchanges get a fault, and how many times; counts the faults it injected. */
    public static final class Rule {
        private final String method;
        private final Pattern path;
        private final Fault fault;
        private final AtomicInteger remaining;
        private final AtomicInteger injected = new AtomicInteger();

        private Rule(String method, Pattern path, Fault fault, int times) {
            this.method = method;
            this.path = path;
            this.fault = fault;
            this.remaining = new AtomicInteger(times);
        }

        public Fault fault() {
            return fault;
        }

        /** Faults this rule injected so far. */
        public int injected() {
            return injected.get();
        }

        private boolean take(String m, String p) {
            if (method != null && !method.equalsIgnoreCase(m)) return false;
            if (!path.matcher(p).find()) return false;
            return remaining.getAndUpdate(n -> n == ALWAYS ? n : Math.max(0, n - 1)) > 0;
        }

        private void giveBack() {
            remaining.getAndUpdate(n -> n == ALWAYS ? n : n + 1);
        }

        @Override
        public String toString() {
            return (method == null ? "*" : method) + " ~" + path + ": " + fault;
        }
    }

    /**
     * One exchange as the client saw it: method, raw path (no query), the request's Range header (or null), the
     * status sent, and the fault injected (or null).
     */
    public record Exchange(String method, String path, String range, int status, Fault fault) {
        public boolean faulted() {
            return fault != null;
        }

        @Override
        public String toString() {
            return method + " " + path + (range != null ? " [" + range + "]" : "") + " " + status + (fault != null ? " <" + fault + ">" : "");
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean ignoreRange;

    private FaultProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Proxies 127.0.0.1:PORT (ephemeral) to {@code upstreamPort} on loopback. */
    public static FaultProxy start(int upstreamPort) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultProxy p = new FaultProxy(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
            Thread t = new Thread(p::acceptLoop, "fault-proxy-accept-" + s.getLocalPort());
            t.setDaemon(true);
            t.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault proxy", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}: a registry host for references through the proxy. */
    public String host() {
        return "127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String baseUrl() {
        return "http://" + host();
    }

    /**
     * Injects {@code fault} into the next {@code times} exchanges ({@link #ALWAYS}: all) whose method is {@code method}
     * (null: any) and whose raw path contains a match of {@code pathRegex}. Rules are tried in the order they were added.
     */
    public Rule inject(String method, String pathRegex, Fault fault, int times) {
        if (times < 1) throw new IllegalArgumentException("times must be >= 1, got " + times);
        Rule r = new Rule(method, Pattern.compile(pathRegex), fault, times);
        rules.add(r);
        return r;
    }

    /** When on, the {@code Range} header of requests is dropped: the server answers whole blobs (200), like a server that ignores ranges. */
    public void ignoreRange(boolean on) {
        ignoreRange = on;
    }

    /** Removes every rule: from now on everything is forwarded unchanged. */
    public void clearRules() {
        rules.clear();
    }

    /** Requests received so far (every exchange, faulted or not). */
    public long requests() {
        return requests.get();
    }

    /** Faults injected so far, by all rules. */
    public int injected() {
        synchronized (exchanges) {
            return (int) exchanges.stream().filter(Exchange::faulted).count();
        }
    }

    /** The exchanges so far, in the order their answers started. */
    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** The exchanges whose path contains a match of {@code pathRegex}. */
    public List<Exchange> exchanges(String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return exchanges().stream().filter(x -> p.matcher(x.path()).find()).toList();
    }

    public void clearExchanges() {
        synchronized (exchanges) {
            exchanges.clear();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "fault-proxy-" + port());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try {
            client.setSoTimeout(30_000); // a client that never sends its request does not hold a thread forever
            InputStream cin = new BufferedInputStream(client.getInputStream(), 16 << 10);
            OutputStream cout = client.getOutputStream();
            HttpMessage req = HttpMessage.read(cin);
            if (req == null) return;
            requests.incrementAndGet();
            String[] line = req.first().split(" ", 3);
            if (line.length < 3) return;
            String method = line[0];
            String target = line[1];
            int q = target.indexOf('?');
            String path = q >= 0 ? target.substring(0, q) : target;
            byte[] reqBody = req.readBody(cin, false);
            String range = req.header("Range");

            Rule rule = null;
            for (Rule r : rules) {
                if (r.take(method, path)) {
                    rule = r;
                    break;
                }
            }
            if (rule != null && !rule.fault.needsBody()) { // the proxy's own answer
                rule.injected.incrementAndGet();
                log(new Exchange(method, path, range, rule.fault.status(), rule.fault));
                FaultWire.answer(cout, method, rule.fault, baseUrl() + target);
                return;
            }

            up = new Socket();
            sockets.add(up);
            up.connect(upstream, 5_000);
            up.setSoTimeout(30_000);
            OutputStream uout = up.getOutputStream();
            uout.write(req.forwardedRequest(reqBody.length, ignoreRange).getBytes(StandardCharsets.ISO_8859_1));
            uout.write(reqBody);
            uout.flush();

            InputStream uin = new BufferedInputStream(up.getInputStream(), 64 << 10);
            HttpMessage resp = HttpMessage.read(uin);
            while (resp != null && resp.status() >= 100 && resp.status() < 200) resp = HttpMessage.read(uin); // interim answers
            if (resp == null) throw new EOFException("the server closed without an answer");
            int status = resp.status();
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
            byte[] body = noBody ? new byte[0] : resp.readBody(uin, true);
            up.close();

            Fault fault = rule == null ? null : rule.fault;
            if (fault != null && (status / 100 != 2 || body.length == 0)) {
                rule.giveBack(); // nothing to break here: the rule waits for a body
                fault = null;
            }
            if (fault != null) rule.injected.incrementAndGet();
            log(new Exchange(method, path, range, status, fault));

            long declared = body.length + (fault != null && fault.kind == Kind.CONTENT_LENGTH ? fault.delta : 0);
            String[] origins = {"http://127.0.0.1:" + upstream.getPort(), "http://localhost:" + upstream.getPort()};
            String head = resp.forwardedResponse(declared, noBody, l -> HttpMessage.rebased(l, origins, baseUrl()));
            cout.write(head.getBytes(StandardCharsets.ISO_8859_1));
            FaultWire.sendBody(client, cin, cout, body, fault);
        } catch (IOException | RuntimeException e) {
            // a side went away: close both
        } finally {
            if (up != null) FaultWire.closeQuietly(up);
            FaultWire.closeQuietly(client);
        }
    }

    private void log(Exchange x) {
        synchronized (exchanges) {
            exchanges.add(x);
        }
    }

    @Override
    public void close() {
        closed = true;
        FaultWire.closeQuietly(server);
        sockets.forEach(FaultWire::closeQuietly);
    }
}
