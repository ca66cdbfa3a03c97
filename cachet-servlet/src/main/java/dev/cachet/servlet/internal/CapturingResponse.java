package dev.cachet.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The response a page's render writes to: status and headers go to the real response (which is
 * not committed while the body is held), the body into a buffer, so the filter can decide what
 * to store and what to send once the render is done. A body over {@code limit} bytes, a
 * {@code sendError}, {@code sendRedirect} or an explicit flush by the application switches to
 * pass-through: what was held is written out and the rest streams to the client; such a response
 * is never stored.
 */
public final class CapturingResponse extends HttpServletResponseWrapper {
    private final long limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
    private boolean passThrough;
    private Integer errorStatus;
    private String errorMessage;
    private ServletOutputStream stream;
    private PrintWriter writer;

    /** Captures {@code response}'s body up to {@code limit} bytes. */
    public CapturingResponse(HttpServletResponse response, long limit) {
        super(response);
        this.limit = limit;
    }

    /** True when the body went to the client as it was written (the response cannot be stored). */
    public boolean passedThrough() {
        return passThrough;
    }

    /** The body held (complete unless {@link #passedThrough()}). */
    public byte[] body() {
        if (writer != null) {
            writer.flush();
        }
        return buffer.toByteArray();
    }

    private HttpServletResponse real() {
        return (HttpServletResponse) getResponse();
    }

    /** Writes what is held to the client and streams the rest. */
    public void passThrough() throws IOException {
        if (passThrough) {
            return;
        }
        if (writer != null) {
            writer.flush();
        }
        passThrough = true;
        if (errorStatus != null) {
            sendHeldError();
            return;
        }
        if (buffer.size() > 0) {
            real().getOutputStream().write(buffer.toByteArray());
            buffer.reset();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was called already");
        }
        if (stream == null) {
            stream = new Capture();
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            if (stream != null) {
                throw new IllegalStateException("getOutputStream() was called already");
            }
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.ISO_8859_1 : Charset.forName(enc);
            setCharacterEncoding(cs.name()); // as the container would: the Content-Type names it
            writer = new PrintWriter(new OutputStreamWriter(new Capture(), cs), false);
        }
        return writer;
    }

    /**
     * Held, not sent: the filter may answer with a stale response instead (RFC 5861
     * {@code stale-if-error}); {@link #sendHeldError()} sends it otherwise.
     */
    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (passThrough) {
            super.sendError(sc, msg);
            return;
        }
        buffer.reset();
        errorStatus = sc;
        errorMessage = msg;
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public int getStatus() {
        return errorStatus != null ? errorStatus : super.getStatus();
    }

    /** True when the application sent an error that is held (see {@link #sendError(int, String)}). */
    public boolean heldError() {
        return errorStatus != null && !passThrough;
    }

    /** Sends the held error as the application asked. */
    public void sendHeldError() throws IOException {
        Integer sc = errorStatus;
        errorStatus = null;
        if (errorMessage == null) {
            super.sendError(sc);
        } else {
            super.sendError(sc, errorMessage);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        passThrough();
        super.sendRedirect(location);
    }

    @Override
    public void flushBuffer() throws IOException {
        if (passThrough) {
            super.flushBuffer();
        }
    }

    @Override
    public boolean isCommitted() {
        return passThrough && super.isCommitted();
    }

    @Override
    public void resetBuffer() {
        buffer.reset();
        if (passThrough) {
            super.resetBuffer();
        }
    }

    @Override
    public void reset() {
        buffer.reset();
        super.reset();
    }

    @Override
    public void setBufferSize(int size) {
        // the body is held here; the container's buffer size does not matter until pass-through
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (!passThrough && buffer.size() + (long) len > limit) {
            passThrough();
        }
        if (passThrough) {
            real().getOutputStream().write(b, off, len);
        } else {
            buffer.write(b, off, len);
        }
    }

    private final class Capture extends ServletOutputStream {
        @Override
        public void write(int b) throws IOException {
            CapturingResponse.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            CapturingResponse.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (passThrough) {
                real().getOutputStream().flush();
            }
        }

        @Override
        public boolean isReady() {
            try {
                return !passThrough || real().getOutputStream().isReady();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            if (passThrough) {
                try {
                    real().getOutputStream().setWriteListener(listener);
                } catch (IOException e) {
                    listener.onError(e);
                }
                return;
            }
            try {
                listener.onWritePossible(); // writes are held in memory: always possible
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
