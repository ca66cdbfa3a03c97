/**
 * The Redis backend: {@link dev.cachet.redis.RedisBackendProvider} opens {@code redis://},
 * {@code rediss://}, {@code redis-cluster://} and {@code rediss-cluster://} locations. Put
 * {@code cachet-redis} on the class path and open a cache as any other:
 * {@code Caches.open("redis://127.0.0.1:6379/0?key_prefix=app")}. The implementation lives in
 * {@code dev.cachet.redis.internal} and is not API.
 */
package dev.cachet.redis;
