// Prints the bytes Kafka's own serializers produce, as "<serde> <case> <hex>" lines (see README.md).
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.streams.kstream.*;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.kstream.internals.TimeWindow;

public class Vectors {
    static final String T = "t";

    static String hex(byte[] b) {
        if (b == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x & 0xff));
        return sb.length() == 0 ? "-" : sb.toString();
    }

    static String units(String s) { // UTF-16 code units of a decoded string
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) { if (sb.length() > 0) sb.append(','); sb.append(String.format("%04x", (int) c)); }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    static byte[] unhex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    static void p(String serde, String name, byte[] bytes) { System.out.println(serde + " " + name + " " + hex(bytes)); }

    public static void main(String[] args) {
        Serializer<Long> l = new LongSerializer();
        for (long v : new long[] {0, 1, -1, 256, 9007199254740991L, -9007199254740991L, 2147483647L, 2147483648L, -2147483648L,
                                  -2147483649L, 4294967295L, 4294967296L, -4294967296L, 1700000000000L, Long.MAX_VALUE, Long.MIN_VALUE})
            p("Long", Long.toString(v), l.serialize(T, v));
        Serializer<Integer> i = new IntegerSerializer();
        for (int v : new int[] {0, 1, -1, 256, Integer.MAX_VALUE, Integer.MIN_VALUE})
            p("Integer", Integer.toString(v), i.serialize(T, v));
        Serializer<Short> s = new ShortSerializer();
        for (short v : new short[] {0, 1, -1, 256, Short.MAX_VALUE, Short.MIN_VALUE})
            p("Short", Short.toString(v), s.serialize(T, v));
        Serializer<Double> d = new DoubleSerializer();
        double[] ds = {0.0, -0.0, 1.5, -1.5, 0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 9007199254740993.0};
        for (double v : ds) p("Double", Double.toString(v), d.serialize(T, v));
        // a NaN with a payload: DoubleSerializer uses doubleToLongBits, which canonicalises NaN
        p("Double", "NaN(payload)", d.serialize(T, Double.longBitsToDouble(0x7ff0000000000001L)));
        Serializer<Float> f = new FloatSerializer();
        float[] fs = {0.0f, -0.0f, 1.5f, 0.1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE};
        for (float v : fs) p("Float", Float.toString(v), f.serialize(T, v));
        Serializer<Boolean> b = new BooleanSerializer();
        p("Boolean", "true", b.serialize(T, true));
        p("Boolean", "false", b.serialize(T, false));
        Serializer<String> str = new StringSerializer();
        String[][] strs = {{"empty", ""}, {"ascii", "hello"}, {"e-acute", "\u00e9"}, {"grinning", "\ud83d\ude00"},
                           {"mixed", "k\u00e9y-\u20ac-\ud83d\ude00"}, {"nul", "\u0000"}, {"bom", "\ufeffx"},
                           {"lone-high", "a\ud800b"}, {"lone-low", "a\udc00b"}, {"high-at-end", "a\ud83d"}};
        for (String[] c : strs) p("String", c[0], str.serialize(T, c[1]));
        // decoding malformed UTF-8: print UTF-16 code units of Kafka's result
        Deserializer<String> sd = new StringDeserializer();
        for (String h : new String[] {"ff", "c328", "e282", "eda080", "f09f98", "f09f9841", "efbbbf41", "c0af", "f4908080",
                                      "edb080", "edbfbf41", "edae", "edb4", "e2eda0f52b", "eda0dfc1", "f4edb0dfe0", "80c2bdedb9", "f09f"})
            System.out.println("StringDecode " + h + " " + units(sd.deserialize(T, unhex(h))));
        Serializer<UUID> u = new UUIDSerializer();
        p("UUID", "123e4567-e89b-12d3-a456-426614174000", u.serialize(T, UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        p("UUID", "fromString(UPPER)", u.serialize(T, UUID.fromString("123E4567-E89B-12D3-A456-426614174000")));
        p("UUID", "fromString(1-2-3-4-5)", u.serialize(T, UUID.fromString("1-2-3-4-5")));
        p("UUID", "fromString(1-+a-0-ffff1-1)", u.serialize(T, UUID.fromString("1-+a-0-ffff1-1")));
        p("Void", "null", new VoidSerializer().serialize(T, null));

        Serializer<Windowed<String>> tw = new TimeWindowedSerializer<>(str);
        Deserializer<Windowed<String>> twd = new TimeWindowedDeserializer<>(sd, 60000L);
        byte[] twb = tw.serialize(T, new Windowed<>("k1", new TimeWindow(300000L, 360000L)));
        p("TimeWindowed", "k1@300000/360000", twb);
        System.out.println("TimeWindowedToString k1@300000,size=60000 " + twd.deserialize(T, twb));
        System.out.println("TimeWindowedEmpty - " + twd.deserialize(T, new byte[0]));
        Deserializer<Windowed<String>> twMax = new TimeWindowedDeserializer<>(sd, Long.MAX_VALUE);
        System.out.println("TimeWindowedToString k1@300000,size=Long.MAX " + twMax.deserialize(T, twb));
        Serializer<Windowed<Long>> twl = new TimeWindowedSerializer<>(l);
        p("TimeWindowed<Long>", "42@1700000000000/1700000060000", twl.serialize(T, new Windowed<>(42L, new TimeWindow(1700000000000L, 1700000060000L))));

        Serializer<Windowed<String>> sw = new SessionWindowedSerializer<>(str);
        Deserializer<Windowed<String>> swd = new SessionWindowedDeserializer<>(sd);
        byte[] swb = sw.serialize(T, new Windowed<>("k1", new SessionWindow(1000L, 5000L)));
        p("SessionWindowed", "k1@1000/5000", swb);
        System.out.println("SessionWindowedToString k1@1000/5000 " + swd.deserialize(T, swb));
        p("SessionWindowed", "k1@7/7", sw.serialize(T, new Windowed<>("k1", new SessionWindow(7L, 7L))));
        p("SessionWindowed", "empty-key@0/0", sw.serialize(T, new Windowed<>("", new SessionWindow(0L, 0L))));
    }
}
