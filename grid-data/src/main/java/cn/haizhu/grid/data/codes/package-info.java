/** Validators, check characters and masks for the national codes the grid records carry (ID numbers, credit codes, admin and grid codes, phone numbers). */
package cn.haizhu.grid.data.codes;
