package dev.cachet.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One render of a page through the rest of the filter chain into a {@link CapturingResponse},
 * then {@code done} exactly once: when the chain returns, or, when the application went
 * asynchronous (Jetty's {@code ProxyServlet} does), inside its {@link AsyncContext#complete()},
 * before the container sends the response. An asynchronous render that ends otherwise (a
 * dispatch, an error, a timeout) passes its body through and calls {@code abandoned}.
 */
final class Render {
    /** What runs once the render is complete, before anything is sent. */
    interface Done {
        void run(CapturingResponse captured) throws IOException;
    }

    private final CapturingResponse captured;
    private final Done done;
    private final Runnable abandoned;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean async;

    private Render(CapturingResponse captured, Done done, Runnable abandoned) {
        this.captured = captured;
        this.done = done;
        this.abandoned = abandoned;
    }

    /**
     * Renders {@code request} (its fields {@code dropped} removed and {@code added} added: a
     * conditional revalidation) into {@code captured}.
     */
    static void run(HttpServletRequest request, CapturingResponse captured, FilterChain chain, Set<String> dropped,
            HttpFields added, Done done, Runnable abandoned) throws IOException, ServletException {
        Render r = new Render(captured, done, abandoned);
        Request wrapped = r.new Request(request, dropped, added);
        try {
            chain.doFilter(wrapped, captured);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            if (!r.async) {
                r.finish(false);
            }
            throw e;
        }
        if (!r.async) {
            r.finish(true);
        }
    }

    private void finish(boolean ok) throws IOException {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (ok) {
            done.run(captured);
        } else {
            try {
                captured.passThrough();
            } finally {
                abandoned.run();
            }
        }
    }

    private final class Request extends HttpServletRequestWrapper {
        private final Set<String> dropped;
        private final HttpFields added;
        private AsyncContext context;

        Request(HttpServletRequest request, Set<String> dropped, HttpFields added) {
            super(request);
            this.dropped = dropped;
            this.added = added;
        }

        private boolean isDropped(String name) {
            return dropped.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            String a = added.first(name);
            return a != null ? a : isDropped(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            List<String> a = added.all(name);
            if (!a.isEmpty()) {
                return Collections.enumeration(a);
            }
            return isDropped(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements();) {
                String n = e.nextElement();
                if (!isDropped(n) && !added.has(n)) {
                    names.add(n);
                }
            }
            for (String[] l : added.lines()) {
                if (!names.contains(l[0])) {
                    names.add(l[0]);
                }
            }
            return Collections.enumeration(names);
        }

        @Override
        public long getDateHeader(String name) {
            String v = getHeader(name);
            if (v == null) {
                return -1;
            }
            long t = HttpDates.parse(v);
            if (t == Long.MIN_VALUE) {
                throw new IllegalArgumentException("header " + name + " is not an HTTP date: " + v);
            }
            return t;
        }

        @Override
        public int getIntHeader(String name) {
            String v = getHeader(name);
            return v == null ? -1 : Integer.parseInt(v.trim());
        }

        @Override
        public AsyncContext startAsync() {
            return startAsync(this, captured);
        }

        @Override
        public synchronized AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            async = true;
            AsyncContext real = super.startAsync(request, response);
            real.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) throws IOException {
                    finish(false); // no-op after our complete() ran
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            context = new Context(real);
            return context;
        }

        @Override
        public synchronized AsyncContext getAsyncContext() {
            return context != null ? context : super.getAsyncContext();
        }
    }

    private final class Context implements AsyncContext {
        private final AsyncContext real;

        Context(AsyncContext real) {
            this.real = real;
        }

        @Override
        public void complete() {
            try {
                finish(true);
            } catch (IOException e) {
                // the client went away while the response was written; nothing more to send
            } finally {
                real.complete();
            }
        }

        @Override
        public void dispatch() {
            abandon();
            real.dispatch();
        }

        @Override
        public void dispatch(String path) {
            abandon();
            real.dispatch(path);
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            abandon();
            real.dispatch(context, path);
        }

        private void abandon() {
            try {
                finish(false);
            } catch (IOException e) {
                // as in complete()
            }
        }

        @Override
        public ServletRequest getRequest() {
            return real.getRequest();
        }

        @Override
        public ServletResponse getResponse() {
            return real.getResponse();
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return real.hasOriginalRequestAndResponse();
        }

        @Override
        public void start(Runnable run) {
            real.start(run);
        }

        @Override
        public void addListener(AsyncListener listener) {
            real.addListener(listener);
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
            real.addListener(listener, request, response);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
            return real.createListener(clazz);
        }

        @Override
        public void setTimeout(long timeout) {
            real.setTimeout(timeout);
        }

        @Override
        public long getTimeout() {
            return real.getTimeout();
        }
    }
}
