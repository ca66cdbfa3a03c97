package dev.cachet.spring;

import dev.cachet.testkit.Servers;

/**
 * The Spring contract on the real Redis at 127.0.0.1:6379 (skipped, or failed when servers are
 * required, if it is absent), in database 14; every test clears its own key prefix.
 */
class RedisSpringCacheContractTest extends SpringCacheContract {
    @Override
    protected String location() {
        return "redis://" + Servers.requireRedis().address() + "/14";
    }
}
