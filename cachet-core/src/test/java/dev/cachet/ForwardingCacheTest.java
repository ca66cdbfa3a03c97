package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** ForwardingCache and ForwardingAsyncCache hand every call to their delegate, over a real memory cache. */
class ForwardingCacheTest {
    /** Records each call that reaches it, then runs it on a real cache (or its async face). */
    private static final class Recorder implements InvocationHandler {
        final Object target;
        final List<String> calls = new ArrayList<>();

        Recorder(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            calls.add(signature(m) + Arrays.toString(args == null ? new Object[0] : args));
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    private static final Supplier<Object> LOADER = () -> "loaded";

    private static Object sample(Class<?> t) {
        if (t == String.class) {
            return "k";
        } else if (t == Class.class) {
            return Object.class;
        } else if (t == Timeout.class) {
            return Timeout.ofSeconds(60);
        } else if (t == Duration.class) {
            return Duration.ofSeconds(60);
        } else if (t == Supplier.class) {
            return LOADER;
        } else if (t == Freshness.class) {
            return Freshness.DEFAULT;
        } else if (t == java.util.function.Function.class) {
            return (java.util.function.Function<Object, Object>) k -> Map.of();
        } else if (t == Collection.class) {
            return List.of("k");
        } else if (t == Map.class) {
            return Map.of("k", "v");
        } else if (t == long.class) {
            return 1L;
        } else if (t == int.class) {
            return 0;
        }
        return "v";
    }

    /** Calls every abstract method of {@code face} on {@code forwarding}; returns the calls expected to reach the delegate. */
    private static List<String> callEveryAbstractMethod(Class<?> face, Object forwarding) throws Exception {
        List<String> expected = new ArrayList<>();
        for (Method m : face.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || m.getName().equals("close") || m.getName().equals("async")
                    || m.getName().equals("sync")) {
                continue;
            }
            Object[] args = Arrays.stream(m.getParameterTypes()).map(ForwardingCacheTest::sample).toArray();
            expected.add(signature(m) + Arrays.toString(args));
            try {
                Object r = m.invoke(forwarding, args);
                if (r instanceof CompletionStage<?> s) {
                    s.toCompletableFuture().handle((v, e) -> v).join();
                }
            } catch (InvocationTargetException e) {
                // incr of a string, say: the call still reached the delegate, which is what is checked
            }
        }
        return expected;
    }

    @Test
    void everyCallOfBothFacesReachesTheDelegate() throws Exception {
        try (Cache real = Caches.open("memory:")) {
            Recorder syncCalls = new Recorder(real);
            Cache recorded = (Cache) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class}, syncCalls);
            Cache forwarding = new ForwardingCache(recorded) { };
            List<String> expected = callEveryAbstractMethod(Cache.class, forwarding);
            assertThat(expected).hasSizeGreaterThan(15);
            assertThat(syncCalls.calls).containsExactlyElementsOf(expected);

            Recorder asyncCalls = new Recorder(real.async());
            AsyncCache recordedAsync = (AsyncCache) Proxy.newProxyInstance(AsyncCache.class.getClassLoader(),
                    new Class<?>[] {AsyncCache.class}, asyncCalls);
            AsyncCache forwardingAsync = new ForwardingAsyncCache(recordedAsync) { };
            List<String> expectedAsync = callEveryAbstractMethod(AsyncCache.class, forwardingAsync);
            assertThat(expectedAsync).hasSizeGreaterThan(15);
            assertThat(asyncCalls.calls).containsExactlyElementsOf(expectedAsync);
        }
    }

    @Test
    void defaultMethodsGoThroughTheDecoratorsOverridesAndTheAsyncFaceLeadsBackToIt() {
        AtomicInteger sets = new AtomicInteger();
        Cache real = Caches.open("memory:");
        Cache decorated = new ForwardingCache(real) {
            @Override
            public boolean set(String key, Object value, Timeout timeout) {
                sets.incrementAndGet();
                return super.set(key, "decorated " + value, timeout);
            }
        };
        assertThat(decorated.set("a", 1)).isTrue(); // Cache's default set(key, value)
        assertThat(decorated.set("b", 2, Duration.ofMinutes(1))).isTrue(); // default set(key, value, Duration)
        assertThat(sets).hasValue(2);
        assertThat(real.get("a")).isEqualTo("decorated 1");
        assertThat(decorated.get("b")).isEqualTo("decorated 2");
        assertThat(decorated.async().sync()).isSameAs(decorated);
        assertThat(decorated.async().get("a", String.class).toCompletableFuture().join()).isEqualTo("decorated 1");
        // the async face forwards to the delegate's: a decorator that changes set overrides async() too
        assertThat(decorated.async().set("c", 3).toCompletableFuture().join()).isTrue();
        assertThat(sets).hasValue(2);
        assertThat(real.get("c")).isEqualTo(3L);
        decorated.close();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> real.get("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
