/*
  Warnings:

  - You are about to drop the `AssuranceGrant` table. If the table is not empty, all the data it contains will be lost.
  - You are about to drop the column `intentId` on the `WebAuthnChallenge` table. All the data in the column will be lost.

*/
-- DropIndex
DROP INDEX "AssuranceGrant_userId_idx";

-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN "challengeExpiresAt" DATETIME;
ALTER TABLE "StepUpIntent" ADD COLUMN "challengeNonce" TEXT;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "AssuranceGrant";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebAuthnChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "purpose" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
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
