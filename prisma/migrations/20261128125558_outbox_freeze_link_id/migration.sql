-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "freezeLinkId" TEXT;
