package dev.cachet.jcache.internal;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a cache's configuration and statistics MXBeans with the platform MBean server,
 * under {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}
 * (characters JMX reserves in a value, {@code , : = newline}, become {@code .}).
 */
final class Management {
    private final String managerUri;
    private final String cacheName;
    private final Statistics statistics;
    private final ConfigurationBean configuration;

    Management(String managerUri, String cacheName, Statistics statistics, ConfigurationBean configuration) {
        this.managerUri = managerUri;
        this.cacheName = cacheName;
        this.statistics = statistics;
        this.configuration = configuration;
    }

    /** Registers or unregisters the statistics MXBean. */
    void statistics(boolean on) {
        if (on) {
            register(statistics, "CacheStatistics", managerUri, cacheName);
        } else {
            unregister("CacheStatistics", managerUri, cacheName);
        }
    }

    /** Registers or unregisters the configuration MXBean. */
    void configuration(boolean on) {
        if (on) {
            register(configuration, "CacheConfiguration", managerUri, cacheName);
        } else {
            unregister("CacheConfiguration", managerUri, cacheName);
        }
    }

    private static void register(Object bean, String type, String managerUri, String cacheName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(type, managerUri, cacheName);
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (Exception e) {
            throw new CacheException("cannot register the " + type + " MXBean " + name + ": " + e.getMessage(), e);
        }
    }

    private static void unregister(String type, String managerUri, String cacheName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(type, managerUri, cacheName);
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception e) {
            throw new CacheException("cannot unregister the " + type + " MXBean " + name + ": " + e.getMessage(), e);
        }
    }

    private static ObjectName name(String type, String managerUri, String cacheName) {
        try {
            return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + safe(managerUri) + ",Cache=" + safe(cacheName));
        } catch (Exception e) {
            throw new CacheException("no valid JMX name for cache '" + cacheName + "': " + e.getMessage(), e);
        }
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll("[,:=\n]", ".");
    }
}
