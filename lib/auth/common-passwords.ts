/**
 * NIST SP 800-63B-4 §3.1.1.2: passwords are checked against a blocklist of commonly used, expected or
 * compromised values. Vault already requires 15 characters, so this small bundled list holds the
 * long ones people actually choose (repeated words, keyboard walks, famous passphrases), compared
 * after folding case and dropping spaces and punctuation. A fork with an internet connection may add
 * a k-anonymity breach check (e.g. Have I Been Pwned's range API) behind this one.
 */
const COMMON = new Set(
  [
    "passwordpassword",
    "password123456789",
    "passwordpassword1",
    "mypasswordismypassword",
    "thisismypassword",
    "iloveyouiloveyou",
    "iloveyouforever",
    "letmeinletmein",
    "welcomewelcome",
    "welcome123456789",
    "changemechangeme",
    "changeme123456789",
    "administrator123",
    "adminadminadmin",
    "qwertyqwertyqwerty",
    "qwertyuiopasdfgh",
    "qwertyuiopasdfghjkl",
    "qwertyuiopasdfghjklzxcvbnm",
    "asdfghjklasdfghjkl",
    "zxcvbnmzxcvbnm",
    "1qaz2wsx3edc4rfv",
    "1q2w3e4r5t6y7u8i",
    "qazwsxedcrfvtgb",
    "abcdefghijklmnop",
    "abcdefghijklmnopqrstuvwxyz",
    "correcthorsebatterystaple",
    "thequickbrownfoxjumpsoverthelazydog",
    "trustno1trustno1",
    "monkeymonkeymonkey",
    "dragondragondragon",
    "footballfootball",
    "baseballbaseball",
    "basketballbasketball",
    "superman123456789",
    "batmanbatmanbatman",
    "sunshinesunshine",
    "princessprincess",
    "starwarsstarwars",
    "maytheforcebewithyou",
    "iamthebestintheworld",
    "onetwothreefourfive",
    "helloworldhelloworld",
    "opensesameopensesame",
    "secretsecretsecret",
    "mysecretpassword",
    "donttellanyone",
    "nobodyknowsmypassword",
    "verysecurepassword",
    "strongpassword123",
    "bankpasswordbank",
    "onlinebanking123",
    "mybankpassword",
    "mybankaccount123",
  ].map((p) => p.toLowerCase()),
);

/** Case-folded, with spaces, punctuation and symbols removed: "Correct horse, battery staple!" -> "correcthorsebatterystaple". */
const fold = (password: string) => password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/** True for a password anyone would guess: on the list, one or two repeated characters, digits only, or the bank's own name. */
export function isCommonPassword(password: string): boolean {
  const folded = fold(password);
  if (COMMON.has(folded)) return true;
  // Code points, symbols and emoji included, spaces not: "🔐🔐🔐…" is as weak as "aaa…".
  const chars = password.toLowerCase().replace(/\s/g, "");
  if (new Set(chars).size <= 2) return true; // "aaaaaaaaaaaaaaa", "abababababababab"
  if (/^\d+$/.test(folded) && folded.length === [...chars].length) return true; // digits only
  return [...chars.replace(/vault|bank|password/g, "")].length < 4; // little more than "vaultbankpassword"
}
