package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.codes.PhoneNumber;
import cn.haizhu.grid.data.people.PersonalDataCipher;

/**
 * A person's ID number and phone as this node stores them, from the clear text a peer sent: checked,
 * encrypted under this node's key, hashed with its hash key, masked (docs/SYNC.md, "Personal data").
 * One place for the feed's changes and the snapshots.
 */
record PersonSeal(byte[] idNumberEnc, byte[] idNumberHash, String idNumberMasked, byte[] phoneEnc, byte[] phoneHash,
                  String phoneMasked) {

    /** Seals the clear values of the person {@code gid}; an ID number that is not one refuses the record. */
    static PersonSeal of(PersonalDataCipher cipher, String gid, String idNumber, String phone) {
        String id = IdNumber.normalise(idNumber == null ? "" : idNumber);
        if (IdNumber.problem(id).isPresent()) {
            throw new IllegalArgumentException("a person " + gid + " without a valid ID number");
        }
        String p = phone == null ? null : PhoneNumber.normalise(phone);
        return new PersonSeal(cipher.encrypt(id), cipher.hash(id), IdNumber.mask(id), cipher.encrypt(p), cipher.hash(p),
                p == null ? null : PhoneNumber.mask(p));
    }
}
