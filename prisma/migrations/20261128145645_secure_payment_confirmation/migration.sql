-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN "ceremony" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Passkey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "publicKey" BLOB NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT NOT NULL DEFAULT '',
    "deviceType" TEXT NOT NULL,
    "backedUp" BOOLEAN NOT NULL DEFAULT false,
    "aaguid" TEXT NOT NULL DEFAULT '',
    "payment" BOOLEAN NOT NULL DEFAULT false,
    "nickname" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "Passkey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Passkey" ("aaguid", "backedUp", "counter", "createdAt", "deviceType", "id", "lastUsedAt", "nickname", "publicKey", "transports", "userId") SELECT "aaguid", "backedUp", "counter", "createdAt", "deviceType", "id", "lastUsedAt", "nickname", "publicKey", "transports", "userId" FROM "Passkey";
DROP TABLE "Passkey";
ALTER TABLE "new_Passkey" RENAME TO "Passkey";
CREATE INDEX "Passkey_userId_idx" ON "Passkey"("userId");
CREATE TABLE "new_WebAuthnChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "purpose" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "payment" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebAuthnChallenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WebAuthnChallenge" ("challenge", "createdAt", "expiresAt", "id", "purpose", "userId") SELECT "challenge", "createdAt", "expiresAt", "id", "purpose", "userId" FROM "WebAuthnChallenge";
DROP TABLE "WebAuthnChallenge";
ALTER TABLE "new_WebAuthnChallenge" RENAME TO "WebAuthnChallenge";
CREATE UNIQUE INDEX "WebAuthnChallenge_challenge_key" ON "WebAuthnChallenge"("challenge");
CREATE INDEX "WebAuthnChallenge_userId_purpose_idx" ON "WebAuthnChallenge"("userId", "purpose");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
