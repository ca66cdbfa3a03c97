package dev.cachet.memcached;

/** {@link MemcachedStoreContractTest} on the pipelined transport ({@code transport=pipelined}). */
class PipelinedMemcachedStoreContractTest extends MemcachedStoreContractTest {
    @Override
    protected String location() {
        return super.location() + "&transport=pipelined";
    }
}
