package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shape of the public API, walked by reflection so that a new operation cannot forget its
 * overloads: every {@link Cache} operation has an {@link AsyncCache} twin, and every operation
 * of either face that takes a {@link Timeout} also takes a {@link Duration}.
 */
class AsyncTwinTest {

    /**
     * Members of {@link Cache} with no async twin: {@code async()} is how one gets here, and
     * {@code close()} ends the cache, not an operation on it ({@link AsyncCache#sync()} reaches
     * both).
     */
    static final Set<String> NO_TWIN = Set.of("async()", "close()");

    /**
     * Members that answer from this process's memory without waiting: their twin returns what
     * the synchronous member returns, not a stage.
     */
    static final Set<String> SAME_RETURN = Set.of("name()", "version()", "stats()",
            "registerLoader(String, Function, Freshness)", "hotNamespaces(int)");

    /** Views: their twin returns the async face of the synchronous view. */
    static final Set<String> VIEWS = Set.of("withVersion(int)", "namespace(String)", "namespace(String, Duration)");

    @Test
    void everySyncOperationHasAnAsyncTwin() {
        List<String> problems = problems(Cache.class, AsyncCache.class);
        assertThat(problems).isEmpty();
        assertThat(publicMethods(Cache.class)).hasSizeGreaterThan(50);
    }

    @Test
    void theWalkReportsAMissingTwinAndAWrongReturnType() {
        // a face with neither getOrSetMany nor the right type for incr: both reported, by name
        List<String> problems = problems(Cache.class, Incomplete.class);
        assertThat(problems).anyMatch(p -> p.startsWith("missing: getOrSetMany(Collection, Class, Function, Freshness)"));
        assertThat(problems).anyMatch(p -> p.startsWith("incr(String, long) returns java.util.concurrent.CompletionStage<java.lang.Integer>")
                && p.contains("CompletionStage<java.lang.Long>"));
    }

    @Test
    void everyTimeoutOverloadHasADurationOverload() {
        for (Class<?> face : List.of(Cache.class, AsyncCache.class)) {
            List<String> missing = new ArrayList<>();
            int withTimeout = 0;
            for (Method m : publicMethods(face)) {
                List<Class<?>> params = Arrays.asList(m.getParameterTypes());
                if (!params.contains(Timeout.class)) {
                    continue;
                }
                withTimeout++;
                Class<?>[] durations = params.stream().map(p -> p == Timeout.class ? Duration.class : p)
                        .toArray(Class<?>[]::new);
                try {
                    Method d = face.getMethod(m.getName(), durations);
                    assertThat(d.getGenericReturnType().getTypeName()).as(signature(d))
                            .isEqualTo(m.getGenericReturnType().getTypeName());
                    assertThat(d.isDefault()).as(signature(d) + " delegates to the Timeout form").isTrue();
                } catch (NoSuchMethodException e) {
                    missing.add(signature(m));
                }
            }
            assertThat(missing).as(face.getSimpleName() + ": Timeout forms without a Duration form").isEmpty();
            assertThat(withTimeout).as(face.getSimpleName()).isEqualTo(6);
        }
    }

    /** What is wrong with {@code async} as the async face of {@code sync}: missing twins and wrong return types. */
    static List<String> problems(Class<?> sync, Class<?> async) {
        List<String> problems = new ArrayList<>();
        for (Method m : publicMethods(sync)) {
            String sig = signature(m);
            if (NO_TWIN.contains(sig)) {
                continue;
            }
            Method twin;
            try {
                twin = async.getMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                problems.add("missing: " + sig);
                continue;
            }
            String expected = expectedReturn(sig, m);
            String actual = twin.getGenericReturnType().getTypeName();
            if (!actual.equals(expected)) {
                problems.add(sig + " returns " + actual + ", expected " + expected);
            }
        }
        return problems;
    }

    private static String expectedReturn(String sig, Method m) {
        Type r = m.getGenericReturnType();
        if (SAME_RETURN.contains(sig) || r.getTypeName().startsWith(CompletionStage.class.getName() + "<")) {
            return r.getTypeName(); // refresh and prefetch return stages already
        }
        if (VIEWS.contains(sig)) {
            return AsyncCache.class.getName();
        }
        return CompletionStage.class.getName() + "<" + boxed(r) + ">";
    }

    private static String boxed(Type t) {
        if (!(t instanceof Class<?> c) || !c.isPrimitive()) {
            return t.getTypeName();
        }
        return Map.of(void.class, Void.class, boolean.class, Boolean.class, int.class, Integer.class,
                long.class, Long.class).get(c).getName();
    }

    static List<Method> publicMethods(Class<?> face) {
        return Arrays.stream(face.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
    }

    static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A face that forgot a twin and boxed a result wrongly, for the self-test. */
    interface Incomplete {
        CompletionStage<Integer> incr(String key, long delta);
    }
}
