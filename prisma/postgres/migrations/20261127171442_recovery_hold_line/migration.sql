-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN     "authorisedBy" TEXT,
ADD COLUMN     "cancelReason" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "recoveryHoldStartedAt" TIMESTAMP(3);
