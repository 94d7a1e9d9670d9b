package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A monolithic blob upload (distribution spec "POST then PUT"): {@code POST /v2/NAME/blobs/uploads/}, then one
 * {@code PUT} of the whole blob, verified as it is sent, to the {@code Location} the registry gave, which must be on
 * the registry's own origin.
 */
final class BlobUpload {
    private BlobUpload() {}

    /** Uploads {@code content} as blob {@code d} of the repository at {@code base} (named {@code name}). */
    static void run(URI base, String name, Descriptor d, InputStream content, TagList.Sender send) throws IOException {
        String what = "blob " + d.digest();
        String location;
        try (Response start = send.send(Request.send("POST", base.resolve("blobs/uploads/"), new byte[0], what, name))) {
            if (start.status() != 202) throw start.error();
            location = start.header("Location");
        }
        if (location == null) {
            throw new ContentException(ContentException.Kind.INVALID, name + ": upload of " + what + ": no Location header");
        }
        URI loc;
        try {
            loc = base.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID, name + ": upload of " + what + ": bad Location '"
                    + Text.printable(location) + "'");
        }
        if (!HttpTransport.sameOrigin(base, loc)) {
            throw new ContentException(ContentException.Kind.INVALID, name + ": upload of " + what
                    + " was sent to another host (" + Text.printable(loc.toString()) + "): refused");
        }
        String l = loc.toString();
        URI put = URI.create(l + (l.contains("?") ? "&" : "?") + "digest="
                + URLEncoder.encode(d.digest().toString(), StandardCharsets.UTF_8));
        InputStream verified = VerifyingInputStream.of(content, d, what);
        Request r = Request.upload("PUT", put, verified, d.size(), what, name)
                .withHeader("Content-Type", "application/octet-stream");
        try (Response resp = send.send(r)) {
            if (resp.status() != 201) throw resp.error();
        }
        if (verified instanceof VerifyingInputStream v && !v.verified()) v.verifyToEnd();
    }
}
