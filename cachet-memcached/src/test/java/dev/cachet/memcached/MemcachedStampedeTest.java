package dev.cachet.memcached;

import dev.cachet.testkit.StampedeAcrossProcesses;

/**
 * The stampede scenarios with three worker JVMs on the module's shared single memcached
 * (started by the tests on a free port), on real time.
 */
class MemcachedStampedeTest extends StampedeAcrossProcesses {
    @Override
    protected String location() {
        return MemcachedServers.singleLocation();
    }
}
