package dev.cachet.cli.internal;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The streams a command works with: stdin as bytes, stdout both as bytes (for raw values) and
 * as UTF-8 text, stderr as UTF-8 text. Tests build one over byte arrays; {@link #system()}
 * is the process's own. Text written to {@link #out()} is flushed before raw bytes are
 * written, so the two never interleave out of order.
 */
public final class CommandIo {
    private final InputStream in;
    private final OutputStream out;
    private final PrintWriter outText;
    private final PrintWriter errText;

    /** Streams over {@code in}, {@code out} and {@code err}. */
    public CommandIo(InputStream in, OutputStream out, OutputStream err) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        this.errText = new PrintWriter(new OutputStreamWriter(Objects.requireNonNull(err, "err"), StandardCharsets.UTF_8), true);
    }

    /** The process's stdin, stdout (buffered) and stderr. */
    public static CommandIo system() {
        return new CommandIo(System.in, new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                new FileOutputStream(FileDescriptor.err));
    }

    /** Standard input, as bytes. */
    public InputStream in() {
        return in;
    }

    /** Standard output, as text (UTF-8). */
    public PrintWriter out() {
        return outText;
    }

    /** Standard error, as text (UTF-8, flushed on every line). */
    public PrintWriter err() {
        return errText;
    }

    /** Writes {@code bytes} to standard output as they are, after any pending text. */
    public void writeBytes(byte[] bytes) {
        outText.flush();
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output: " + e.getMessage(), e);
        }
    }

    /** Flushes standard output and error. */
    public void flush() {
        outText.flush();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output: " + e.getMessage(), e);
        }
        errText.flush();
    }
}
