package cn.haizhu.grid.data.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    @Test
    void weakPasswordsAreRefusedWithAReason() {
        assertTrue(PasswordPolicy.problem("wang", "short1").orElseThrow().contains("too short"));
        assertTrue(PasswordPolicy.problem("wang", "Password2024!").orElseThrow().contains("well-known"));
        assertTrue(PasswordPolicy.problem("wang", "haizhu123456").orElseThrow().contains("well-known"));
        assertTrue(PasswordPolicy.problem("wangxiaoming", "wangxiaoming-99").orElseThrow().contains("user name"));
        assertTrue(PasswordPolicy.problem("wang", "aaaaaaaaaaaaaaaa").orElseThrow().contains("different characters"));
        assertTrue(PasswordPolicy.problem("wang", "abcdefghijklmn").orElseThrow().contains("run"));
        assertTrue(PasswordPolicy.problem("wang", "x".repeat(2000)).orElseThrow().contains("too long"));
    }

    @Test
    void aLongPasswordOfItsOwnPasses() {
        assertEquals(Optional.empty(), PasswordPolicy.problem("wang", "Correct-horse-7-battery"));
        assertEquals(Optional.empty(), PasswordPolicy.problem("wang", "海珠网格 指挥中心 二〇二六"));
    }
}
