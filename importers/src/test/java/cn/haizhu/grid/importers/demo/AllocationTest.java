package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AllocationTest {
    @Test
    void splitsByLargestRemainder() {
        assertArrayEquals(new int[] {3, 3, 4}, Allocation.split(new double[] {1, 1, 1.2}, 10, 0, 100));
        assertArrayEquals(new int[] {4, 3, 3}, Allocation.split(new double[] {1, 1, 1}, 10, 0, 100)); // ties: lower index
        assertArrayEquals(new int[] {0, 0, 5}, Allocation.split(new double[] {0, 0, 7}, 5, 0, 100));
    }

    @Test
    void keepsPartsWithinBounds() {
        int[] parts = Allocation.split(new double[] {100, 1, 1, 0}, 20, 1, 10);
        assertArrayEquals(new int[] {10, 5, 4, 1}, parts);
        assertEquals(20, Arrays.stream(Allocation.split(new double[] {1e-9, 5, 1e6}, 20, 1, 99)).sum());
        assertThrows(IllegalArgumentException.class, () -> Allocation.split(new double[] {1, 1}, 3, 2, 10));
        assertThrows(IllegalArgumentException.class, () -> Allocation.split(new double[] {1, 1}, 21, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> Allocation.split(new double[] {0, 1}, 15, 0, 10));
        assertArrayEquals(new int[] {2, 2, 1}, Allocation.split(new double[] {0, 0, 0}, 5, 0, 10));
    }

    @Test
    void scalesByRounding() {
        assertEquals(9170, Allocation.scaled(916_978, 0.01));
        assertEquals(354, Allocation.scaled(35_445, 0.01));
        assertEquals(1_581_460, Allocation.scaled(1_581_460, 1.0));
    }
}
