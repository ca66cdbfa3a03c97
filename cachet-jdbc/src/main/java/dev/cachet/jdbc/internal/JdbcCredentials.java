package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC URL with its credentials taken out: the user information of
 * {@code jdbc:sub://user:password@host/...} and any {@code password=}, {@code passwd=} or
 * {@code pwd=} parameter become the connection's {@code user} and {@code password} properties,
 * and the URL the driver sees holds no secret. Drivers repeat pieces of their URL in messages
 * (MariaDB's "Incorrect port value : secret@host", PostgreSQL's unknown host "user:secret@host")
 * and the pool logs them; a URL without the password cannot leak it. It also makes the
 * user-information form work with drivers that do not read it (MariaDB and PostgreSQL take it
 * for part of the host). User information is percent-decoded; a password parameter is decoded
 * for PostgreSQL, whose driver decodes parameters, and passed as written for the others.
 *
 * @param url      the URL without credentials
 * @param user     the user of the user information, or null (a {@code user=} parameter stays in the URL)
 * @param password the password, or null
 */
record JdbcCredentials(String url, String user, String password) {
    private static final Pattern PARAMETER = Pattern.compile("(?i)([?&;])(?:password|passwd|pwd)=([^&;]*)");

    static JdbcCredentials of(String url, Dialect dialect) {
        String user = null;
        String password = null;
        String rest = url;
        int start = rest.indexOf("//");
        // the user information ends at the last '@' before the query (a password may hold '/')
        int query = start < 0 ? -1 : rest.indexOf('?', start + 2);
        int at = (query < 0 ? rest : rest.substring(0, query)).lastIndexOf('@');
        if (start >= 0 && at > start) {
            String info = rest.substring(start + 2, at);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            rest = rest.substring(0, start + 2) + rest.substring(at + 1);
        }
        Matcher m = PARAMETER.matcher(rest);
        StringBuilder sb = new StringBuilder();
        boolean found = false;
        while (m.find()) {
            found = true;
            String value = m.group(2);
            password = dialect == Dialect.POSTGRESQL ? decode(value) : value;
            // keep the separator when a parameter follows ("?password=x&a=b" -> "?a=b" below)
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1)));
        }
        if (found) {
            m.appendTail(sb);
            rest = sb.toString().replace("?&", "?").replace("&&", "&").replace(";;", ";");
            if (rest.endsWith("?") || rest.endsWith("&") || rest.endsWith(";")) {
                rest = rest.substring(0, rest.length() - 1);
            }
        }
        return new JdbcCredentials(rest, user == null || user.isEmpty() ? null : user, password);
    }

    /** The {@code user} and {@code password} properties for {@code DriverManager.getConnection(url, properties)}. */
    Properties properties() {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String toString() {
        return "JdbcCredentials[" + url + (user == null ? "" : " user " + user) + (password == null ? "" : " password ***") + "]";
    }
}
