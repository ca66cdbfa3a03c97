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
    private Management() {
    }

    static void register(Object bean, String type, String managerUri, String cacheName) {
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

    static void unregister(String type, String managerUri, String cacheName) {
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
