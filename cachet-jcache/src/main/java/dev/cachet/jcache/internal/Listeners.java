package dev.cachet.jcache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * The listeners registered on one cache and the delivery of events to them. Events are
 * delivered after the operation that caused them, in the caller's thread, in the order they
 * happened; a synchronous listener's failure reaches the caller as a
 * {@link CacheEntryListenerException}, an asynchronous one's is dropped (it must not fail the
 * operation).
 */
final class Listeners<K, V> {
    private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();

    private record Registration<K, V>(CacheEntryListenerConfiguration<K, V> config,
            CacheEntryListener<? super K, ? super V> listener, CacheEntryEventFilter<? super K, ? super V> filter) {
    }

    /**
     * Adds a listener.
     *
     * @throws IllegalArgumentException when {@code config} is registered already
     */
    void register(CacheEntryListenerConfiguration<K, V> config) {
        for (Registration<K, V> r : registrations) {
            if (r.config.equals(config)) {
                throw new IllegalArgumentException("this listener configuration is registered already: " + config);
            }
        }
        Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory = config.getCacheEntryEventFilterFactory();
        registrations.add(new Registration<>(config, config.getCacheEntryListenerFactory().create(),
                filterFactory == null ? null : filterFactory.create()));
    }

    void deregister(CacheEntryListenerConfiguration<K, V> config) {
        registrations.removeIf(r -> r.config.equals(config));
    }

    boolean isEmpty() {
        return registrations.isEmpty();
    }

    /** Delivers {@code events} (in order) to every listener that takes their types. */
    void fire(List<Event<K, V>> events) {
        if (events.isEmpty() || registrations.isEmpty()) {
            return;
        }
        CacheEntryListenerException failure = null;
        for (Registration<K, V> r : registrations) {
            try {
                deliver(r, events);
            } catch (RuntimeException e) {
                if (r.config.isSynchronous() && failure == null) {
                    failure = e instanceof CacheEntryListenerException cele ? cele : new CacheEntryListenerException(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void deliver(Registration<K, V> r, List<Event<K, V>> events) {
        // consecutive events of one type go in one call, so the order of events is kept
        List<CacheEntryEvent<? extends K, ? extends V>> batch = new ArrayList<>();
        EventType batchType = null;
        for (Event<K, V> e : events) {
            if (!takes(r.listener, e.getEventType()) || (r.filter != null && !r.filter.evaluate(e))) {
                continue;
            }
            if (batchType != null && batchType != e.getEventType()) {
                call(r.listener, batchType, batch);
                batch = new ArrayList<>();
            }
            batchType = e.getEventType();
            batch.add(r.config.isOldValueRequired() ? e : e.withoutOldValue());
        }
        if (batchType != null) {
            call(r.listener, batchType, batch);
        }
    }

    private static boolean takes(CacheEntryListener<?, ?> l, EventType type) {
        return switch (type) {
            case CREATED -> l instanceof CacheEntryCreatedListener;
            case UPDATED -> l instanceof CacheEntryUpdatedListener;
            case REMOVED -> l instanceof CacheEntryRemovedListener;
            case EXPIRED -> l instanceof CacheEntryExpiredListener;
        };
    }

    @SuppressWarnings("unchecked")
    private void call(CacheEntryListener<? super K, ? super V> l, EventType type, List<CacheEntryEvent<? extends K, ? extends V>> batch) {
        Iterable<CacheEntryEvent<? extends K, ? extends V>> events = batch;
        switch (type) {
            case CREATED -> ((CacheEntryCreatedListener<K, V>) l).onCreated(events);
            case UPDATED -> ((CacheEntryUpdatedListener<K, V>) l).onUpdated(events);
            case REMOVED -> ((CacheEntryRemovedListener<K, V>) l).onRemoved(events);
            case EXPIRED -> ((CacheEntryExpiredListener<K, V>) l).onExpired(events);
            default -> throw new IllegalStateException("unknown event type " + type);
        }
    }

    /** Closes the listeners and filters that are {@link java.io.Closeable}. */
    void close() {
        for (Registration<K, V> r : registrations) {
            Closing.quietly(r.listener);
            Closing.quietly(r.filter);
        }
        registrations.clear();
    }
}
