-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN "authorisedBy" TEXT;
ALTER TABLE "StepUpIntent" ADD COLUMN "cancelReason" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "recoveryHoldStartedAt" DATETIME;
