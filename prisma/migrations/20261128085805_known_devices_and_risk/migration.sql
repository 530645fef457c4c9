-- AlterTable
ALTER TABLE "StepUpIntent" ADD COLUMN "riskSignals" TEXT;

-- CreateTable
CREATE TABLE "KnownDevice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "firstProvedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastProvedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "KnownDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "KnownDevice_userId_deviceId_key" ON "KnownDevice"("userId", "deviceId");
