package io.checkedmqtt.core.packet;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable, ordered MQTT 5.0 property list. Order matters for User Properties, which are
 * passed on unchanged and in order. MQTT 3.1.1 packets carry {@link #EMPTY}.
 */
public final class Properties {

    public static final Properties EMPTY = new Properties(List.of());

    private final List<Property> list;

    private Properties(List<Property> list) {
        this.list = list;
    }

    public static Properties of(Property... properties) {
        return properties.length == 0 ? EMPTY : new Properties(List.of(properties));
    }

    public static Properties of(List<Property> properties) {
        return properties.isEmpty() ? EMPTY : new Properties(List.copyOf(properties));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    /** Every property, in wire order. */
    public List<Property> asList() {
        return list;
    }

    public boolean contains(PropertyId id) {
        for (Property p : list) {
            if (p.id() == id) {
                return true;
            }
        }
        return false;
    }

    /** The value of an integer-typed property, or {@code absent} when the list lacks it. */
    public long integer(PropertyId id, long absent) {
        for (Property p : list) {
            if (p.id() == id && p instanceof Property.IntegerProperty ip) {
                return ip.value();
            }
        }
        return absent;
    }

    /** The value of a string-typed property, or null when the list lacks it. */
    public String string(PropertyId id) {
        for (Property p : list) {
            if (p.id() == id && p instanceof Property.StringProperty sp) {
                return sp.value();
            }
        }
        return null;
    }

    /** The value of a binary property, or null when the list lacks it. Never write into it. */
    public byte[] binary(PropertyId id) {
        for (Property p : list) {
            if (p.id() == id && p instanceof Property.BinaryProperty bp) {
                return bp.value();
            }
        }
        return null;
    }

    /** The User Properties, in order. */
    public List<Property.UserProperty> userProperties() {
        List<Property.UserProperty> result = new ArrayList<>();
        for (Property p : list) {
            if (p instanceof Property.UserProperty up) {
                result.add(up);
            }
        }
        return List.copyOf(result);
    }

    /** Every value of a repeatable integer property (Subscription Identifier), in order. */
    public List<Long> integers(PropertyId id) {
        List<Long> result = new ArrayList<>();
        for (Property p : list) {
            if (p.id() == id && p instanceof Property.IntegerProperty ip) {
                result.add(ip.value());
            }
        }
        return List.copyOf(result);
    }

    /** This list with every property of the given id removed. */
    public Properties without(PropertyId id) {
        if (!contains(id)) {
            return this;
        }
        List<Property> kept = new ArrayList<>(list.size());
        for (Property p : list) {
            if (p.id() != id) {
                kept.add(p);
            }
        }
        return of(kept);
    }

    /** This list with one property appended (replacing nothing; callers remove first if needed). */
    public Properties with(Property property) {
        List<Property> extended = new ArrayList<>(list.size() + 1);
        extended.addAll(list);
        extended.add(property);
        return new Properties(List.copyOf(extended));
    }

    /** This list with an integer property set to a value, replacing any earlier value. */
    public Properties withInteger(PropertyId id, long value) {
        return without(id).with(new Property.IntegerProperty(id, value));
    }

    /** This list with a string property set to a value, replacing any earlier value. */
    public Properties withString(PropertyId id, String value) {
        return without(id).with(new Property.StringProperty(id, value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties other && list.equals(other.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
