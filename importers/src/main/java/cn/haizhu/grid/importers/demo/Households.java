package cn.haizhu.grid.importers.demo;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The people living in one house, written as rows of persons.csv. A house holds one household of
 * one type: registered residents (户籍, most of them born in Haizhu), the floating population (流动,
 * from other provinces and other parts of Guangdong) or residents from outside the mainland (境外,
 * with the 810000/820000/830000 region codes of Hong Kong, Macao and Taiwan residence permits).
 * Members are a head, usually a spouse, then children, parents or room-mates with ages that fit.
 *
 * <p>Tags follow the people: 独居老人 only for someone 60 or older living alone, 留守儿童 only for a
 * child under 16 with no adult of working age in the house, 低保户 for whole registered households.
 */
final class Households {
    /** The key-population tags, in the order they are written. */
    static final String[] TAGS = {"独居老人", "残疾人", "低保户", "刑释人员", "社区矫正人员", "严重精神障碍患者", "留守儿童"};
    static final String REGISTERED = "户籍";
    static final String FLOATING = "流动";
    static final String ABROAD = "境外";

    private static final Weighted<String> REGISTERED_REGIONS = new Weighted<>(
            new String[] {"440105", "440103", "440104", "440106", "440111", "440902", "441402", "445202", "440803", "441302"},
            new double[] {78, 4, 4, 2, 2, 2, 2, 2, 2, 2});
    private static final Weighted<String> FLOATING_REGIONS = new Weighted<>(new String[] {
        "430102", "431102", "450103", "450102", "441402", "445202", "440902", "440803", "441302", "360102",
        "420102", "510104", "500101", "410102", "350102", "520102", "530102", "340102", "610102", "440105",
    }, new double[] {10, 10, 8, 7, 5, 5, 4, 4, 2, 8, 8, 6, 5, 5, 3, 3, 2, 2, 1, 2});
    private static final Weighted<String> ABROAD_REGIONS = new Weighted<>(
            new String[] {"810000", "820000", "830000"}, new double[] {55, 15, 30});
    private static final String[] MOBILE_PREFIXES = {
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153",
        "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183",
        "184", "185", "186", "187", "188", "189", "191", "198", "199",
    };

    private final LocalDate asOf;
    private final IdNumbers ids = new IdNumbers();
    private Member[] members = new Member[0];

    /** One person while a household is put together. */
    private static final class Member {
        int age;
        boolean male;
        String surname;
        String region;
    }

    Households(LocalDate asOf) {
        this.asOf = asOf;
    }

    /**
     * Appends {@code count} rows for the people of house {@code houseCode} to {@code out}, each ending
     * in '\n'. A house not used for living (商业金融信息, 办公, 工业交通仓储, 其他) mostly holds floating workers.
     */
    void write(StringBuilder out, String houseCode, boolean residential, int count, SplittableRandom rng) {
        if (count <= 0) {
            return;
        }
        if (count > members.length) {
            int old = members.length;
            members = Arrays.copyOf(members, Math.max(count, 16));
            for (int i = old; i < members.length; i++) {
                members[i] = new Member();
            }
        }
        double r = rng.nextDouble();
        String type = residential
                ? (r < 0.665 ? REGISTERED : r < 0.98 ? FLOATING : ABROAD)
                : (r < 0.2 ? REGISTERED : FLOATING);
        compose(type, count, rng);
        boolean lowIncome = type.equals(REGISTERED) && rng.nextDouble() < 0.006;
        boolean workingAdult = false;
        for (int i = 0; i < count; i++) {
            workingAdult |= members[i].age >= 20 && members[i].age <= 50;
        }
        for (int i = 0; i < count; i++) {
            Member m = members[i];
            LocalDate birth = asOf.minusYears(m.age).minusDays(rng.nextInt(365));
            String id = ids.next(m.region, birth, m.male);
            Text.csvField(out, id).append(',');
            Text.csvField(out, m.surname + Names.given(rng, m.male)).append(',');
            out.append(m.male ? '男' : '女').append(',');
            out.append(id, 6, 10).append('-').append(id, 10, 12).append('-').append(id, 12, 14).append(',');
            out.append(type).append(',');
            phone(out, m.age, rng);
            out.append(',');
            tags(out, m, count, lowIncome, workingAdult, type, rng);
            out.append(',').append(houseCode).append('\n');
        }
    }

    private void compose(String type, int count, SplittableRandom rng) {
        boolean local = !type.equals(FLOATING);
        Member head = members[0];
        head.male = rng.nextDouble() < (type.equals(FLOATING) ? 0.55 : 0.6);
        head.age = type.equals(FLOATING) ? floatingAge(rng) : type.equals(ABROAD) ? 25 + rng.nextInt(46) : registeredHeadAge(rng);
        head.surname = Names.surname(rng, local);
        head.region = region(type, rng);
        if (count == 1) {
            return;
        }
        Member second = members[1];
        boolean couple = head.age >= 22 && rng.nextDouble() < (type.equals(FLOATING) ? 0.7 : 0.85);
        if (couple) {
            second.male = !head.male;
            second.age = clamp(head.age + (int) Math.round(rng.nextDouble() * 6 - 3) + (head.male ? -2 : 2), 20, 100);
            second.surname = Names.surname(rng, local);
            second.region = rng.nextDouble() < 0.7 ? head.region : region(type, rng);
        } else {
            roomMate(second, type, head, rng);
        }
        Member father = head.male ? head : couple ? second : head;
        int youngestParent = couple ? Math.min(head.age, second.age) : head.age;
        for (int i = 2; i < count; i++) {
            Member m = members[i];
            m.male = rng.nextBoolean();
            if (type.equals(FLOATING) && !couple) {
                roomMate(m, type, head, rng);
                continue;
            }
            if (youngestParent < 24) {
                // a young head lives with a parent or a sibling
                m.age = rng.nextBoolean() ? clamp(head.age + 22 + rng.nextInt(9), 40, 100) : clamp(head.age - 6 + rng.nextInt(13), 0, 100);
            } else if (youngestParent >= 58 && rng.nextBoolean()) {
                m.age = Math.max(0, youngestParent - 50 - rng.nextInt(13)); // a grandchild
            } else {
                m.age = Math.max(0, youngestParent - 22 - rng.nextInt(15)); // a child
            }
            m.surname = father.surname;
            m.region = type.equals(REGISTERED) && rng.nextDouble() < 0.9 ? "440105" : head.region;
        }
    }

    private void roomMate(Member m, String type, Member head, SplittableRandom rng) {
        m.male = rng.nextBoolean();
        m.age = type.equals(FLOATING) ? floatingAge(rng) : clamp(head.age - 8 + rng.nextInt(17), 16, 100);
        m.surname = Names.surname(rng, !type.equals(FLOATING));
        m.region = region(type, rng);
    }

    private static String region(String type, SplittableRandom rng) {
        return switch (type) {
            case REGISTERED -> REGISTERED_REGIONS.pick(rng);
            case FLOATING -> FLOATING_REGIONS.pick(rng);
            default -> ABROAD_REGIONS.pick(rng);
        };
    }

    private static int registeredHeadAge(SplittableRandom rng) {
        double r = rng.nextDouble();
        if (r < 0.08) {
            return 22 + rng.nextInt(8);
        }
        if (r < 0.26) {
            return 30 + rng.nextInt(10);
        }
        if (r < 0.46) {
            return 40 + rng.nextInt(10);
        }
        if (r < 0.66) {
            return 50 + rng.nextInt(10);
        }
        if (r < 0.83) {
            return 60 + rng.nextInt(10);
        }
        if (r < 0.94) {
            return 70 + rng.nextInt(10);
        }
        return 80 + rng.nextInt(12);
    }

    private static int floatingAge(SplittableRandom rng) {
        double r = rng.nextDouble();
        if (r < 0.15) {
            return 18 + rng.nextInt(7);
        }
        if (r < 0.55) {
            return 25 + rng.nextInt(10);
        }
        if (r < 0.83) {
            return 35 + rng.nextInt(10);
        }
        if (r < 0.96) {
            return 45 + rng.nextInt(10);
        }
        return 55 + rng.nextInt(11);
    }

    private static void phone(StringBuilder out, int age, SplittableRandom rng) {
        double has = age < 12 ? 0 : age < 18 ? 0.5 : age < 75 ? 0.93 : 0.6;
        if (rng.nextDouble() >= has) {
            return;
        }
        out.append(MOBILE_PREFIXES[rng.nextInt(MOBILE_PREFIXES.length)]);
        Text.padded(out, rng.nextInt(100_000_000), 8);
    }

    private static void tags(StringBuilder out, Member m, int count, boolean lowIncome, boolean workingAdult,
            String type, SplittableRandom rng) {
        int start = out.length();
        if (count == 1 && m.age >= 60 && rng.nextDouble() < 0.8) {
            tag(out, start, 0);
        }
        if (rng.nextDouble() < (m.age >= 60 ? 0.035 : 0.008)) {
            tag(out, start, 1);
        }
        if (lowIncome) {
            tag(out, start, 2);
        }
        if (m.age >= 20 && rng.nextDouble() < (m.male ? 0.0025 : 0.0004)) {
            tag(out, start, 3);
        }
        if (m.age >= 18 && rng.nextDouble() < 0.0005) {
            tag(out, start, 4);
        }
        if (m.age >= 14 && rng.nextDouble() < 0.004) {
            tag(out, start, 5);
        }
        if (m.age < 16 && !workingAdult && type.equals(REGISTERED) && rng.nextDouble() < 0.2) {
            tag(out, start, 6);
        }
    }

    private static void tag(StringBuilder out, int start, int tag) {
        if (out.length() > start) {
            out.append(';');
        }
        out.append(TAGS[tag]);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
