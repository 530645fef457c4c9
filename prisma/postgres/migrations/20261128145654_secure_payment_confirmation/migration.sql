-- AlterTable
ALTER TABLE "Passkey" ADD COLUMN     "payment" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN     "ceremony" TEXT;

-- AlterTable
ALTER TABLE "WebAuthnChallenge" ADD COLUMN     "payment" BOOLEAN NOT NULL DEFAULT false;
