package io.checkedmqtt.core.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable MQTT 5.0 property list. MQTT 3.1.1 packets carry {@link #EMPTY}.
 *
 * <p>Kept in three parts, so that its size in memory stays within a small constant factor of its
 * size on the wire whatever a client sends: the properties that appear at most once, as objects
 * (at most one per identifier, so a few dozen at most); the Subscription Identifiers, which a
 * PUBLISH may repeat, as an {@code int} array; and the User Properties, which any packet may
 * repeat, in their wire form ({@link UserProperties}). The order that matters is kept: User
 * Properties among themselves [v5 MQTT-3.3.2-17], and Subscription Identifiers among themselves.
 * The encoder writes the three parts in this order, which the spec leaves free.
 */
public final class Properties {

    public static final Properties EMPTY = new Properties(List.of(), new int[0], UserProperties.NONE);

    /**
     * Every property but the Subscription Identifiers and User Properties, in order. Walked by
     * index: a for-each would allocate an iterator, and a fan-out reads these for every delivery.
     */
    private final List<Property> singles;
    private final int[] subscriptionIds;
    private final UserProperties users;

    private Properties(List<Property> singles, int[] subscriptionIds, UserProperties users) {
        this.singles = singles;
        this.subscriptionIds = subscriptionIds;
        this.users = users;
    }

    public static Properties of(Property... properties) {
        return properties.length == 0 ? EMPTY : of(List.of(properties));
    }

    /**
     * These properties, sorted into the three parts.
     *
     * @throws IllegalArgumentException for a User Property no MQTT string can carry ({@link UserProperties#of})
     */
    public static Properties of(List<Property> properties) {
        if (properties.isEmpty()) {
            return EMPTY;
        }
        List<Property> singles = new ArrayList<>(properties.size());
        int[] ids = new int[properties.size()];
        int idCount = 0;
        List<Property.UserProperty> users = new ArrayList<>();
        for (Property p : properties) {
            if (p instanceof Property.UserProperty up) {
                users.add(up);
            } else if (p.id() == PropertyId.SUBSCRIPTION_IDENTIFIER && p instanceof Property.IntegerProperty ip) {
                ids[idCount++] = (int) ip.value();
            } else {
                singles.add(p);
            }
        }
        return of(singles, Arrays.copyOf(ids, idCount), UserProperties.of(users));
    }

    /**
     * The three parts as the decoder read them; the array is kept, not copied.
     *
     * @param singles         the properties that appear at most once, in order
     * @param subscriptionIds the Subscription Identifiers, in order
     * @param users           the User Properties
     */
    public static Properties of(List<Property> singles, int[] subscriptionIds, UserProperties users) {
        if (singles.isEmpty() && subscriptionIds.length == 0 && users.isEmpty()) {
            return EMPTY;
        }
        return new Properties(List.copyOf(singles), subscriptionIds, users);
    }

    public boolean isEmpty() {
        return singles.isEmpty() && subscriptionIds.length == 0 && users.isEmpty();
    }

    /** How many properties, each User Property and Subscription Identifier counted. */
    public int size() {
        return singles.size() + subscriptionIds.length + users.count();
    }

    /** The properties that appear at most once, in order (no Subscription Identifier, no User Property). */
    public List<Property> singles() {
        return singles;
    }

    /** The Subscription Identifiers, in order; never write into the array. */
    public int[] subscriptionIdentifiers() {
        return subscriptionIds;
    }

    /** The User Properties in their wire form. */
    public UserProperties users() {
        return users;
    }

    /** Every property as an object, in the order the encoder writes them; made on each call. */
    public List<Property> asList() {
        List<Property> all = new ArrayList<>(size());
        all.addAll(singles);
        for (int id : subscriptionIds) {
            all.add(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, id));
        }
        all.addAll(users.toList());
        return all;
    }

    public boolean contains(PropertyId id) {
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            return subscriptionIds.length > 0;
        }
        if (id == PropertyId.USER_PROPERTY) {
            return !users.isEmpty();
        }
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
            if (p.id() == id) {
                return true;
            }
        }
        return false;
    }

    /** The value of an integer-typed property, or {@code absent} when the list lacks it. */
    public long integer(PropertyId id, long absent) {
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            return subscriptionIds.length > 0 ? subscriptionIds[0] : absent;
        }
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
            if (p.id() == id && p instanceof Property.IntegerProperty ip) {
                return ip.value();
            }
        }
        return absent;
    }

    /** The value of a string-typed property, or null when the list lacks it. */
    public String string(PropertyId id) {
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
            if (p.id() == id && p instanceof Property.StringProperty sp) {
                return sp.value();
            }
        }
        return null;
    }

    /** The value of a binary property, or null when the list lacks it. Never write into it. */
    public byte[] binary(PropertyId id) {
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
            if (p.id() == id && p instanceof Property.BinaryProperty bp) {
                return bp.value();
            }
        }
        return null;
    }

    /** The User Properties, in order, as objects made on each call. */
    public List<Property.UserProperty> userProperties() {
        return List.copyOf(users.toList());
    }

    /** Every value of a repeatable integer property (Subscription Identifier), in order. */
    public List<Long> integers(PropertyId id) {
        List<Long> result = new ArrayList<>();
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            for (int value : subscriptionIds) {
                result.add((long) value);
            }
        }
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
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
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            return of(singles, new int[0], users);
        }
        if (id == PropertyId.USER_PROPERTY) {
            return of(singles, subscriptionIds, UserProperties.NONE);
        }
        List<Property> kept = new ArrayList<>(singles.size());
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
            if (p.id() != id) {
                kept.add(p);
            }
        }
        return of(kept, subscriptionIds, users);
    }

    /**
     * This list with one property added after the others of its part (replacing nothing; callers
     * remove first if needed). The User Properties are shared with this list, not copied, unless
     * the property added is one.
     */
    public Properties with(Property property) {
        if (property instanceof Property.UserProperty up) {
            return of(singles, subscriptionIds, users.followedBy(UserProperties.of(List.of(up))));
        }
        if (property.id() == PropertyId.SUBSCRIPTION_IDENTIFIER && property instanceof Property.IntegerProperty ip) {
            int[] ids = Arrays.copyOf(subscriptionIds, subscriptionIds.length + 1);
            ids[subscriptionIds.length] = (int) ip.value();
            return of(singles, ids, users);
        }
        List<Property> extended = new ArrayList<>(singles.size() + 1);
        extended.addAll(singles);
        extended.add(property);
        return of(extended, subscriptionIds, users);
    }

    /** This list with an integer property set to a value, replacing any earlier value. */
    public Properties withInteger(PropertyId id, long value) {
        return without(id).with(new Property.IntegerProperty(id, value));
    }

    /** This list with a string property set to a value, replacing any earlier value. */
    public Properties withString(PropertyId id, String value) {
        return without(id).with(new Property.StringProperty(id, value));
    }

    /**
     * About how many bytes of memory the values hold beyond a fixed overhead per list: what the
     * memory budgets count for a message's properties. Strings count one byte per character.
     */
    public long weight() {
        long weight = 4L * subscriptionIds.length + users.wireSize();
        for (int i = 0; i < singles.size(); i++) {
            Property p = singles.get(i);
            weight += 16;
            if (p instanceof Property.StringProperty sp) {
                weight += sp.value().length();
            } else if (p instanceof Property.BinaryProperty bp) {
                weight += bp.value().length;
            }
        }
        return weight;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties other && singles.equals(other.singles)
                && Arrays.equals(subscriptionIds, other.subscriptionIds) && users.equals(other.users);
    }

    @Override
    public int hashCode() {
        return (singles.hashCode() * 31 + Arrays.hashCode(subscriptionIds)) * 31 + users.hashCode();
    }

    /** The list without expanding the User Properties (a message may carry millions). */
    @Override
    public String toString() {
        List<Object> shown = new ArrayList<>(singles);
        for (int id : subscriptionIds) {
            shown.add(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, id));
        }
        if (!users.isEmpty()) {
            shown.add(users);
        }
        return shown.toString();
    }
}
