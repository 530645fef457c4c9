/*
  Warnings:

  - You are about to drop the column `intentId` on the `WebAuthnChallenge` table. All the data in the column will be lost.
  - You are about to drop the `AssuranceGrant` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropForeignKey
ALTER TABLE "AssuranceGrant" DROP CONSTRAINT "AssuranceGrant_userId_fkey";

-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN     "challengeExpiresAt" TIMESTAMP(3),
ADD COLUMN     "challengeNonce" TEXT;

-- AlterTable
ALTER TABLE "WebAuthnChallenge" DROP COLUMN "intentId";

-- DropTable
DROP TABLE "AssuranceGrant";
